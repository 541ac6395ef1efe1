using System.Text.RegularExpressions;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Ingest.Gateway;

/// <summary>
/// What the gateway accepts from an adapter, item by item. An adapter is not trusted: each rule
/// returns null for an acceptable item, else the reason it is dead-lettered.
/// </summary>
internal static partial class AdapterResponseRules
{
    public const int MaxNameLength = 256;
    public const int MaxSummaryLength = 4096;
    public const int MaxMessageLength = 64 * 1024;
    public const int MaxMetrics = 500;
    public const int MaxDependencies = 200;
    public const int MaxAttributes = 64;

    private static readonly HashSet<string> EventTypes = new(StringComparer.Ordinal) { "Normal", "Warning", "Error" };

    public static string? Status(GetStatusResponse response)
    {
        if (!AdapterName().IsMatch(response.Adapter))
        {
            return $"adapter name '{Cut(response.Adapter)}' is not a DNS label";
        }

        if (response.Status is not { } status)
        {
            return "status is missing";
        }

        if (status.Summary.Length > MaxSummaryLength)
        {
            return $"summary of {status.Summary.Length} characters (limit {MaxSummaryLength})";
        }

        if (status.Metrics.Count > MaxMetrics)
        {
            return $"{status.Metrics.Count} metrics (limit {MaxMetrics})";
        }

        foreach (var (name, value) in status.Metrics)
        {
            if (name.Length is 0 or > MaxNameLength)
            {
                return $"metric name of {name.Length} characters";
            }

            if (!double.IsFinite(value))
            {
                return $"metric {Cut(name)} is {value}";
            }
        }

        if (status.DependsOn.Count > MaxDependencies)
        {
            return $"{status.DependsOn.Count} dependencies (limit {MaxDependencies})";
        }

        return status.DependsOn.FirstOrDefault(d => d.Kind.Length == 0 || d.Name.Length == 0) is { } bad
            ? $"dependency '{Cut(bad.Kind)}/{Cut(bad.Name)}' without kind or name"
            : null;
    }

    public static string? Event(AdapterEvent item, DateTimeOffset from, DateTimeOffset to)
    {
        if (item.Id.Length is 0 or > MaxNameLength)
        {
            return $"event id of {item.Id.Length} characters";
        }

        if (Outside(item.At, from, to) is { } time)
        {
            return $"event {Cut(item.Id)}: {time}";
        }

        if (item.Event is not { } e)
        {
            return $"event {Cut(item.Id)} has no body";
        }

        if (!EventTypes.Contains(e.Type))
        {
            return $"event {Cut(item.Id)}: type '{Cut(e.Type)}' is not Normal, Warning or Error";
        }

        if (e.Reason.Length > MaxNameLength || e.Message.Length > MaxMessageLength || e.Attributes.Count > MaxAttributes)
        {
            return $"event {Cut(item.Id)}: reason, message or attributes over the limits";
        }

        return null;
    }

    public static string? Log(LogRecord line, DateTimeOffset from, DateTimeOffset to)
    {
        if (Outside(line.At, from, to) is { } time)
        {
            return $"log line: {time}";
        }

        if (!Enum.IsDefined(line.Level))
        {
            return $"log line: level {(int)line.Level} is not a LogLevel";
        }

        return line.Message.Length > MaxMessageLength || line.Attributes.Count > MaxAttributes
            ? $"log line: message of {line.Message.Length} characters or {line.Attributes.Count} attributes over the limits"
            : null;
    }

    public static string? Runbook(Runbook runbook, ISet<string> seen)
    {
        if (runbook.Id.Length is 0 or > MaxNameLength)
        {
            return $"runbook id of {runbook.Id.Length} characters";
        }

        if (!seen.Add(runbook.Id))
        {
            return $"runbook id '{Cut(runbook.Id)}' is listed twice";
        }

        return runbook.Title.Length is 0 or > MaxNameLength ? $"runbook {Cut(runbook.Id)}: title of {runbook.Title.Length} characters" : null;
    }

    private static string? Outside(Google.Protobuf.WellKnownTypes.Timestamp? at, DateTimeOffset from, DateTimeOffset to)
    {
        if (at is null)
        {
            return "no time";
        }

        if (at.Seconds < -62135596800 || at.Seconds > 253402300799 || at.Nanos is < 0 or > 999_999_999)
        {
            return "time out of range";
        }

        var time = at.ToDateTimeOffset();
        return time < from || time >= to ? $"time {time:O} outside the requested window [{from:O}, {to:O})" : null;
    }

    private static string Cut(string text) => text.Length > 64 ? text[..64] + "..." : text;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex AdapterName();
}
