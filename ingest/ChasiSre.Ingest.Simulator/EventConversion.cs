using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Simulator;

/// <summary>
/// core/v1 and events.k8s.io/v1 Events are one resource stored once (in core/v1 form), as in
/// the real apiserver; this converts between the two representations field by field.
/// </summary>
internal static class EventConversion
{
    private static readonly (string Core, string Events)[] Renamed =
    [
        ("involvedObject", "regarding"),
        ("message", "note"),
        ("reportingComponent", "reportingController"),
        ("firstTimestamp", "deprecatedFirstTimestamp"),
        ("lastTimestamp", "deprecatedLastTimestamp"),
        ("count", "deprecatedCount"),
        ("source", "deprecatedSource"),
    ];

    private static readonly string[] Shared = ["metadata", "reason", "type", "eventTime", "action", "related", "reportingInstance"];

    public static bool IsEventsGroup(ResourceType type) => type.Group == "events.k8s.io" && type.Kind == "Event";

    public static JsonObject ToEventsV1(JsonObject core, string apiVersion)
    {
        var result = new JsonObject { ["kind"] = "Event", ["apiVersion"] = apiVersion };
        foreach (var field in Shared)
        {
            Copy(core, field, result, field);
        }

        foreach (var (c, e) in Renamed)
        {
            Copy(core, c, result, e);
        }

        if (core["series"] is JsonObject series)
        {
            result["series"] = new JsonObject
            {
                ["count"] = series["count"]?.DeepClone(),
                ["lastObservedTime"] = series["lastObservedTime"]?.DeepClone(),
            };
        }

        return result;
    }

    public static JsonObject ToCore(JsonObject events)
    {
        var result = new JsonObject { ["kind"] = "Event", ["apiVersion"] = "v1" };
        foreach (var field in Shared)
        {
            Copy(events, field, result, field);
        }

        foreach (var (c, e) in Renamed)
        {
            Copy(events, e, result, c);
        }

        if (events["series"] is JsonObject series)
        {
            result["series"] = series.DeepClone();
        }

        // The apiserver defaults involvedObject.namespace to the event's namespace.
        if (result["involvedObject"] is JsonObject involved && involved["namespace"] is null && result["metadata"]?["namespace"] is { } ns)
        {
            involved["namespace"] = ns.DeepClone();
        }

        return result;
    }

    private static void Copy(JsonObject from, string fromName, JsonObject to, string toName)
    {
        if (from.TryGetPropertyValue(fromName, out var value) && value is not null)
        {
            to[toName] = value.DeepClone();
        }
    }
}
