using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ChasiSre.Schemas.V1;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Ingest;

/// <summary>
/// Turns container log text (requested with <c>timestamps=true</c>) into <see cref="LogRecord"/>s:
/// the kubelet's RFC 3339 timestamp, a level guessed from the line, control characters removed,
/// credentials masked (PEM key blocks, JWTs, bearer tokens, <c>password=</c>-style pairs, AWS key ids),
/// long lines cut, and a stable id for deduplication.
/// </summary>
public static partial class LogLineParser
{
    /// <summary>Parses <paramref name="text"/> into records for container <paramref name="container"/> of <paramref name="source"/>.</summary>
    public static IReadOnlyList<LogRecord> Parse(ObjectRef source, string container, bool previous, string text, int maxLineLength, DateTimeOffset fetchedAt)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(text);
        var records = new List<LogRecord>();
        var inPrivateKey = false;
        var occurrences = new Dictionary<(DateTimeOffset, string), int>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            var at = fetchedAt;
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && DateTimeOffset.TryParse(line.AsSpan(0, space), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var stamped))
            {
                at = stamped;
                line = line[(space + 1)..];
            }

            if (PemBegin().IsMatch(line))
            {
                inPrivateKey = !PemEnd().IsMatch(line);
                line = "[private key removed]";
            }
            else if (inPrivateKey)
            {
                inPrivateKey = !PemEnd().IsMatch(line);
                continue;
            }

            LogLevel level;
            try
            {
                line = Scrub(Sanitize(line));
                level = Level(line);
            }
            catch (RegexMatchTimeoutException)
            {
                // A line built to make the scanners crawl is not published: it could hide a credential.
                line = "[line removed: too costly to scan for credentials]";
                level = LogLevel.Unspecified;
            }

            var truncated = line.Length > maxLineLength;
            if (truncated)
            {
                line = line[..maxLineLength];
            }

            var timestamp = Timestamp.FromDateTimeOffset(at);
            // Identical lines at the same instant stay distinct; a later fetch of an overlapping tail gives the same ids.
            var occurrence = occurrences.TryGetValue((at, line), out var seen) ? seen + 1 : 0;
            occurrences[(at, line)] = occurrence;
            records.Add(new LogRecord
            {
                Source = source,
                Container = container,
                Previous = previous,
                At = timestamp,
                Level = level,
                Message = line,
                Truncated = truncated,
                Id = Id(source, container, previous, timestamp, line, occurrence),
            });
        }

        return records;
    }

    /// <summary>The level a line announces, by the usual spellings (plain text, logfmt and JSON).</summary>
    public static LogLevel Level(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return LevelPattern().Match(line) is { Success: true } match
            ? match.Groups["level"].Value.ToUpperInvariant() switch
            {
                "FATAL" or "PANIC" or "CRITICAL" or "CRIT" or "EMERG" or "ALERT" => LogLevel.Fatal,
                "ERROR" or "ERR" or "EXCEPTION" or "TRACEBACK" or "E" => LogLevel.Error,
                "WARN" or "WARNING" or "W" => LogLevel.Warn,
                "INFO" or "NOTICE" or "I" => LogLevel.Info,
                "DEBUG" or "D" => LogLevel.Debug,
                "TRACE" => LogLevel.Trace,
                _ => LogLevel.Unspecified,
            }
            : LogLevel.Unspecified;
    }

    /// <summary>Masks credentials in a line.</summary>
    public static string Scrub(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        line = Jwt().Replace(line, "[jwt removed]");
        line = Bearer().Replace(line, "${scheme} [token removed]");
        line = SecretPair().Replace(line, "${key}${sep}[removed]");
        return AwsKeyId().Replace(line, "[aws key id removed]");
    }

    private static string Sanitize(string line)
    {
        var builder = (StringBuilder?)null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            var keep = c == '\t' || (!char.IsControl(c) && c != '\u2028' && c != '\u2029' && !(char.IsSurrogate(c) && !IsValidSurrogateAt(line, i)));
            if (keep)
            {
                builder?.Append(c);
                continue;
            }

            builder ??= new StringBuilder(line, 0, i, line.Length);
            builder.Append('\uFFFD');
        }

        return builder?.ToString() ?? line;
    }

    private static bool IsValidSurrogateAt(string s, int i) =>
        char.IsHighSurrogate(s[i]) ? i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) : i > 0 && char.IsHighSurrogate(s[i - 1]);

    private static string Id(ObjectRef source, string container, bool previous, Timestamp at, string line, int occurrence)
    {
        var text = $"{source.Cluster}/{source.Namespace}/{source.Name}/{source.Uid}/{container}/{previous}/{at.Seconds}.{at.Nanos}/{occurrence}/{line}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 12));
    }

    [GeneratedRegex(@"(?:^|[\s\[""'=:|(])(?<level>FATAL|PANIC|CRITICAL|CRIT|EMERG|ALERT|ERROR|ERR|EXCEPTION|Traceback|WARN|WARNING|INFO|NOTICE|DEBUG|TRACE)(?=$|[\s\]""',:|)])|^(?<level>[EWID])\d{4} ", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex LevelPattern();

    [GeneratedRegex(@"-----BEGIN [A-Z ]*PRIVATE KEY-----", RegexOptions.CultureInvariant)]
    private static partial Regex PemBegin();

    [GeneratedRegex(@"-----END [A-Z ]*PRIVATE KEY-----", RegexOptions.CultureInvariant)]
    private static partial Regex PemEnd();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Jwt();

    [GeneratedRegex(@"(?<scheme>\b(?:Bearer|Basic))\s+[A-Za-z0-9._~+/=-]{8,}", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 100)]
    private static partial Regex Bearer();

    [GeneratedRegex(@"(?<key>\b[\w.-]{0,64}(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)[""']?)(?<sep>\s*[=:]\s*[""']?)[^\s""',;&]+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, matchTimeoutMilliseconds: 100)]
    private static partial Regex SecretPair();

    [GeneratedRegex(@"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex AwsKeyId();
}
