using System.Text.RegularExpressions;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection;

/// <summary>The one-line forms of events and log lines that go into findings' evidence.</summary>
internal static partial class EvidenceText
{
    public const int MaxLineLength = 300;

    public static string Event(KubeEvent e) =>
        Cut($"event {e.Type} {e.Reason} x{e.Count} (last {KubeJson.Stamp(e.LastSeen?.ToDateTimeOffset())}) on {e.Involved.Kind} {Refs.NamespacedName(e.Involved)}: {e.Message}");

    public static string Log(LogRecord line) =>
        Cut($"log {Refs.NamespacedName(line.Source)} {line.Container}{(line.Previous ? " (previous instance)" : "")}: {line.Message}");

    /// <summary>A log line as evidence, keeping the part <paramref name="focus"/> matches when the line is too long: a driver
    /// error often puts the decisive text (<c>x509: certificate has expired</c>) past the first 300 characters.</summary>
    public static string Log(LogRecord line, Regex focus)
    {
        var prefix = $"log {Refs.NamespacedName(line.Source)} {line.Container}{(line.Previous ? " (previous instance)" : "")}: ";
        var message = line.Message.ReplaceLineEndings(" ");
        var match = focus.Match(message);
        var room = MaxLineLength - prefix.Length - 2;
        if (prefix.Length + message.Length <= MaxLineLength || !match.Success || room < match.Length)
        {
            return Log(line);
        }

        var end = Math.Min(message.Length, match.Index + match.Length + ((room - match.Length) / 4));
        var start = Math.Max(0, end - room);
        return string.Concat(prefix, start > 0 ? "…" : "", message.AsSpan(start, end - start), end < message.Length ? "…" : "");
    }

    public static string Cut(string text)
    {
        var flat = text.ReplaceLineEndings(" ");
        return flat.Length <= MaxLineLength ? flat : string.Concat(flat.AsSpan(0, MaxLineLength - 1), "…");
    }

    /// <summary>Warning events about <paramref name="involved"/> with one of <paramref name="reasons"/> (all warnings when none given), newest last.</summary>
    public static IEnumerable<KubeEvent> Warnings(IClusterState state, ObjectRef involved, params string[] reasons) =>
        state.Events(involved).Where(e => e.Type == "Warning" && (reasons.Length == 0 || reasons.Contains(e.Reason, StringComparer.Ordinal)));

    /// <summary>Lines of a log that say something went wrong.</summary>
    public static bool IsNotable(string message) => NotablePattern().IsMatch(message);

    /// <summary>The decisive lines of a container's log: the error-looking ones (last <paramref name="max"/>), else the last lines.
    /// The previous (crashed) instance is preferred when <paramref name="preferPrevious"/>.</summary>
    public static IEnumerable<string> DecisiveLogLines(IClusterState state, ObjectRef pod, string? container, bool preferPrevious, int max = 5)
    {
        var lines = state.Logs(pod).Where(l => container is null || l.Container == container).ToList();
        if (lines.Count == 0)
        {
            return [];
        }

        var instance = lines.Where(l => l.Previous == preferPrevious).ToList();
        if (instance.Count == 0)
        {
            instance = lines;
        }

        var notable = instance.Where(l => IsNotable(l.Message) || l.Level >= LogLevel.Error).ToList();
        var chosen = notable.Count > 0 ? notable.TakeLast(max) : instance.TakeLast(Math.Min(3, max));
        return chosen.Select(Log);
    }

    public static string List(IEnumerable<string> names, int max = 10)
    {
        var all = names.ToList();
        return all.Count <= max ? string.Join(", ", all) : $"{string.Join(", ", all.Take(max))} and {all.Count - max} more";
    }

    [GeneratedRegex(@"\b(fatal|panic|error|err|exception|fail(ed|ure)?|crit(ical)?|traceback|refused|denied|timeout|timed out|not set|missing|unable|cannot|can't|invalid|killed|segfault)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NotablePattern();
}
