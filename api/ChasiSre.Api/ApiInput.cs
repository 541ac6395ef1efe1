using System.Globalization;
using System.Text.RegularExpressions;

namespace ChasiSre.Api;

/// <summary>Checks of the values callers send (query parameters, route values, Alertmanager labels).</summary>
internal static partial class ApiInput
{
    /// <summary>Incident ids: <c>inc-…</c> as the correlation makes them, or any id of letters, digits, '-', '_', '.', ':'.</summary>
    public static bool IsIncidentId(string? id) => id is not null && IncidentId().IsMatch(id);

    /// <summary>Action ids (the executor's keys of <c>chasi.actions.v1</c>): letters, digits, '-', '_', '.', ':', '@', at most 200 (no '/': they are path segments).</summary>
    public static bool IsActionId(string? id) => id is not null && ActionId().IsMatch(id);

    /// <summary>Cluster names: what Kubernetes and vCluster allow, 1-253 characters.</summary>
    public static bool IsClusterName(string? name) => name is not null && ClusterName().IsMatch(name);

    /// <summary>Action names of the remediation catalog (<c>rollout-restart</c>, …).</summary>
    public static bool IsActionName(string? name) => name is not null && ActionName().IsMatch(name);

    /// <summary>
    /// An RFC 3339 timestamp (as Alertmanager and Go write them, with up to nine fractional digits), or, when
    /// <paramref name="now"/> is given, a duration before it: <c>30m</c>, <c>2h</c>, <c>7d</c>.
    /// </summary>
    public static bool TryParseTime(string text, DateTimeOffset? now, out DateTimeOffset at)
    {
        at = default;
        if (now is { } reference && Relative().Match(text) is { Success: true } relative)
        {
            if (!int.TryParse(relative.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
            {
                return false;
            }

            var span = relative.Groups[2].ValueSpan[0] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
            if (span > reference - DateTimeOffset.MinValue)
            {
                return false;
            }

            at = reference - span;
            return true;
        }

        var match = Rfc3339().Match(text);
        if (!match.Success)
        {
            return false;
        }

        // .NET parses seven fractional digits at most; Go writes up to nine (nanoseconds).
        var fraction = match.Groups["fraction"].Value;
        fraction = fraction.Length == 0 ? ".0" : fraction[..Math.Min(fraction.Length, 8)];
        var offset = match.Groups["offset"].Value is "Z" or "z" ? "+00:00" : match.Groups["offset"].Value;
        return DateTimeOffset.TryParseExact(
            $"{match.Groups["date"].Value}T{match.Groups["time"].Value}{fraction.PadRight(8, '0')}{offset}",
            "yyyy-MM-dd'T'HH:mm:ss.fffffffzzz",
            CultureInfo.InvariantCulture,
            DateTimeStyles.None,
            out at);
    }

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,200}$", RegexOptions.CultureInvariant)]
    private static partial Regex IncidentId();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,199}$", RegexOptions.CultureInvariant)]
    private static partial Regex ActionId();

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9._-]{0,251}[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex ClusterName();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex ActionName();

    [GeneratedRegex("^([0-9]{1,6})([smhd])$", RegexOptions.CultureInvariant)]
    private static partial Regex Relative();

    [GeneratedRegex(@"^(?<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ](?<time>[0-9]{2}:[0-9]{2}:[0-9]{2})(?<fraction>\.[0-9]{1,9})?(?<offset>[Zz]|[+-][0-9]{2}:[0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
