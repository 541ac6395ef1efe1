using System.Globalization;
using System.Text.RegularExpressions;

namespace ChasiSre.Cli.Operations;

/// <summary>Checks of what the operations commands are given on the command line.</summary>
internal static partial class OperationsInput
{
    /// <summary>Incident ids: <c>inc-…</c> as the correlation makes them, or any id of letters, digits, '-', '_', '.', ':'.</summary>
    public static bool IsIncidentId(string? id) => id is not null && IncidentId().IsMatch(id);

    /// <summary>Cluster names: what Kubernetes and vCluster allow.</summary>
    public static bool IsClusterName(string? name) => name is not null && ClusterName().IsMatch(name);

    /// <summary>Replay labels: 1-100 letters, digits, '-', '_', '.', ':', '/', '+'.</summary>
    public static bool IsLabel(string? label) => label is not null && Label().IsMatch(label);

    /// <summary>
    /// An RFC 3339 / ISO 8601 time (<c>2026-03-01T10:00:00Z</c>; without an offset it is UTC), or a duration before
    /// <paramref name="now"/>: <c>90s</c>, <c>30m</c>, <c>2h</c>, <c>7d</c>.
    /// </summary>
    public static bool TryParseTime(string text, DateTimeOffset now, out DateTimeOffset at)
    {
        at = default;
        if (Relative().Match(text) is { Success: true } relative)
        {
            var amount = int.Parse(relative.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
            var span = relative.Groups[2].ValueSpan[0] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
            at = now - span;
            return true;
        }

        return Absolute().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at);
    }

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,200}$", RegexOptions.CultureInvariant)]
    private static partial Regex IncidentId();

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9._-]{0,251}[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex ClusterName();

    [GeneratedRegex("^[A-Za-z0-9_.:/+-]{1,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex Label();

    [GeneratedRegex("^([0-9]{1,6})([smhd])$", RegexOptions.CultureInvariant)]
    private static partial Regex Relative();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?([Zz]|[+-][0-9]{2}:[0-9]{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Absolute();
}
