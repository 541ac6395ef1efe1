using System.Globalization;
using System.Text.Json;
using ChasiSre.Ingest.Scenarios;
using ChasiSre.Platform.ClickHouse;
using ChasiSre.Schemas.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Cli.Operations;

/// <summary>
/// Reads a window of the raw data the ClickHouse sink stored (<c>objects</c>, <c>k8s_events</c>, <c>logs</c>) and
/// rebuilds the <see cref="DetectionInput"/> records ingest published. Events come back whole from their protobuf JSON
/// <c>payload</c>; objects and log lines from their columns: the object JSON, labels, annotations, owners and the
/// ObjectRef with its vCluster placement and twin are all stored, so what detection reads is there. Metric samples and
/// business records have no table yet (the sink does not store <c>chasi.metrics.v1</c> or <c>chasi.business.v1</c>), so a
/// replay has no metric anomaly or business degradation input.
/// </summary>
internal sealed class StoredRecordReader(IClickHouseStore store, string database)
{
    /// <summary>The tables a replay reads.</summary>
    public static readonly IReadOnlyList<string> Tables = ["objects", "k8s_events", "logs"];

    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private const string ObjectColumns =
        "observed_at, tenant, host_cluster, host_namespace, cluster, layer, api_version, kind, namespace, name, uid, twin_cluster, twin_namespace, " +
        "twin_name, twin_uid, resource_version, deleted, generation, created_at, labels, annotations, owner_kinds, owner_names, from_list, " +
        "object_json_omitted, object_json";

    // One row per stored version: a redelivered record lands on the same key and version and is read once. Versions of
    // an object without resourceVersions (0) are told apart by their time as long as ClickHouse has not merged them.
    private const string ObjectIdentity = "tenant, host_cluster, host_namespace, cluster, kind, namespace, name";

    /// <summary>How many rows of the window the tables hold (before deduplication): what a replay would load.</summary>
    public async Task<long> CountAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var rows = await store.QueryAsync(
            $"SELECT (SELECT count() FROM {database}.objects WHERE {Between("observed_at", from, to)}) + " +
            $"(SELECT count() FROM {database}.k8s_events WHERE {Between("ts", from, to)}) + " +
            $"(SELECT count() FROM {database}.logs WHERE {Between("ts", from, to)}) AS n",
            cancellationToken);
        return (long)rows[0].Get<ulong>("n");
    }

    public async Task<StoredWindow> ReadAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var timed = new List<(DateTimeOffset At, int Order, DetectionInput Record)>();

        // The state every object was in when the window opened, unless its latest version before it is a tombstone.
        var initial = await store.QueryAsync(
            $"SELECT {ObjectColumns} FROM {database}.objects WHERE observed_at < {ClickHouseLiteral.Of(from)} " +
            $"ORDER BY {ObjectIdentity}, observed_at DESC, resource_version DESC, deleted DESC LIMIT 1 BY {ObjectIdentity}",
            cancellationToken);
        var initialObjects = new List<DetectionInput>();
        foreach (var row in initial.Where(r => !r.Get<bool>("deleted")))
        {
            var record = Object(row);
            record.Snapshot.FromList = true;
            initialObjects.Add(new DetectionInput { Object = record });
        }

        var objects = await store.QueryAsync(
            $"SELECT {ObjectColumns} FROM {database}.objects WHERE {Between("observed_at", from, to)} " +
            $"ORDER BY observed_at, resource_version, deleted LIMIT 1 BY {ObjectIdentity}, resource_version, deleted, observed_at",
            cancellationToken);
        foreach (var row in objects)
        {
            timed.Add((row.Get<DateTimeOffset>("observed_at"), 0, new DetectionInput { Object = Object(row) }));
        }

        var events = await store.QueryAsync(
            $"SELECT ts, payload FROM {database}.k8s_events FINAL WHERE {Between("ts", from, to)} ORDER BY ts, event_uid",
            cancellationToken);
        foreach (var row in events)
        {
            timed.Add((row.Get<DateTimeOffset>("ts"), 1, new DetectionInput { Event = Parser.Parse<KubeEvent>(row.Get<string>("payload")) }));
        }

        var logs = await store.QueryAsync(
            "SELECT ts, id, tenant, host_cluster, host_namespace, cluster, layer, kind, namespace, name, uid, twin_cluster, twin_namespace, twin_name, " +
            $"container, previous, severity, message, truncated, attributes FROM {database}.logs FINAL WHERE {Between("ts", from, to)} ORDER BY ts, id",
            cancellationToken);
        foreach (var row in logs)
        {
            timed.Add((row.Get<DateTimeOffset>("ts"), 2, new DetectionInput { Log = Log(row) }));
        }

        // One batch per second of the window, records in time order; at one instant objects come before the events
        // and log lines about them, as a watcher delivers them.
        var batches = new List<ScenarioRecordBatch>();
        if (initialObjects.Count > 0)
        {
            batches.Add(new ScenarioRecordBatch(TimeSpan.Zero, initialObjects));
        }

        foreach (var second in timed
            .OrderBy(t => t.At)
            .ThenBy(t => t.Order)
            .GroupBy(t => TimeSpan.FromSeconds(Math.Floor((t.At - from).TotalSeconds))))
        {
            batches.Add(new ScenarioRecordBatch(second.Key, [.. second.Select(t => t.Record)]));
        }

        // Initial objects and the window's first second share offset zero: one batch.
        if (batches.Count > 1 && batches[0].At == batches[1].At)
        {
            batches[0] = new ScenarioRecordBatch(TimeSpan.Zero, [.. batches[0].Records, .. batches[1].Records]);
            batches.RemoveAt(1);
        }

        return new StoredWindow(from, to, batches, initialObjects.Count, objects.Count, events.Count, logs.Count);
    }

    private static string Between(string column, DateTimeOffset from, DateTimeOffset to) =>
        $"{column} >= {ClickHouseLiteral.Of(from)} AND {column} < {ClickHouseLiteral.Of(to)}";

    private static ObjectRecord Object(ClickHouseRow row)
    {
        var reference = Reference(row);
        var layer = reference.Layer;
        if (row.Get<string>("twin_name") is { Length: > 0 } twinName)
        {
            // The twin as ingest links it: the virtual original of a host object (in the vCluster the syncer names, its
            // control plane in this object's namespace), or the host copy of a virtual object (in the vCluster's host namespace).
            reference.Twin = new ObjectRef
            {
                Cluster = row.Get<string>("twin_cluster"),
                Tenant = reference.Tenant,
                Layer = layer == Layer.Host ? Layer.Virtual : Layer.Host,
                ApiVersion = reference.ApiVersion,
                Kind = reference.Kind,
                Namespace = row.Get<string>("twin_namespace"),
                Name = twinName,
                Uid = row.Get<string>("twin_uid"),
                HostCluster = reference.HostCluster,
                HostNamespace = layer == Layer.Host ? reference.Namespace : "",
            };
        }

        var at = Timestamp.FromDateTimeOffset(row.Get<DateTimeOffset>("observed_at"));
        var resourceVersion = row.Get<ulong>("resource_version") is var rv and > 0 ? rv.ToString(CultureInfo.InvariantCulture) : "";
        if (row.Get<bool>("deleted"))
        {
            return new ObjectRecord { Tombstone = new ObjectTombstone { Ref = reference, ResourceVersion = resourceVersion, DeletedAt = at } };
        }

        var json = row.Get<string>("object_json");
        var snapshot = new ObjectSnapshot
        {
            Ref = reference,
            ResourceVersion = resourceVersion,
            Generation = row.Get<long>("generation"),
            ObservedAt = at,
            FromList = row.Get<bool>("from_list"),
            ObjectJsonOmitted = row.Get<bool>("object_json_omitted"),
            ObjectJson = ByteString.CopyFromUtf8(json),
        };
        if (row["created_at"] is DateTime created)
        {
            snapshot.CreatedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(created, DateTimeKind.Utc));
        }

        Fill(snapshot.Labels, row["labels"]);
        Fill(snapshot.Annotations, row["annotations"]);
        snapshot.Owners.AddRange(Owners(json, row));
        return new ObjectRecord { Snapshot = snapshot };
    }

    /// <summary>The owners from the object's own metadata (api version, uid and controller flag too); from the kind and
    /// name columns when the JSON was omitted.</summary>
    private static IEnumerable<OwnerRef> Owners(string json, ClickHouseRow row)
    {
        if (json.Length > 0)
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.TryGetProperty("metadata", out var metadata)
                && metadata.TryGetProperty("ownerReferences", out var owners)
                && owners.ValueKind == JsonValueKind.Array)
            {
                return [.. owners.EnumerateArray().Select(o => new OwnerRef
                {
                    ApiVersion = Text(o, "apiVersion"),
                    Kind = Text(o, "kind"),
                    Name = Text(o, "name"),
                    Uid = Text(o, "uid"),
                    Controller = o.TryGetProperty("controller", out var c) && c.ValueKind == JsonValueKind.True,
                })];
            }
        }

        var kinds = (object?[])row["owner_kinds"]!;
        var names = (object?[])row["owner_names"]!;
        return kinds.Zip(names, (k, n) => new OwnerRef { Kind = (string)k!, Name = (string)n! });
    }

    private static string Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static LogRecord Log(ClickHouseRow row)
    {
        var source = Reference(row);
        if (row.Get<string>("twin_name") is { Length: > 0 } twinName)
        {
            source.Twin = new ObjectRef
            {
                Cluster = row.Get<string>("twin_cluster"),
                Tenant = source.Tenant,
                Layer = source.Layer == Layer.Host ? Layer.Virtual : Layer.Host,
                ApiVersion = source.ApiVersion,
                Kind = source.Kind,
                Namespace = row.Get<string>("twin_namespace"),
                Name = twinName,
                HostCluster = source.HostCluster,
                HostNamespace = source.Layer == Layer.Host ? source.Namespace : "",
            };
        }

        var record = new LogRecord
        {
            Source = source,
            Id = row.Get<string>("id"),
            Container = row.Get<string>("container"),
            Previous = row.Get<bool>("previous"),
            At = Timestamp.FromDateTimeOffset(row.Get<DateTimeOffset>("ts")),
            Level = Level(row.Get<string>("severity")),
            Message = row.Get<string>("message"),
            Truncated = row.Get<bool>("truncated"),
        };
        Fill(record.Attributes, row["attributes"]);
        return record;
    }

    private static ObjectRef Reference(ClickHouseRow row)
    {
        var layer = row.Get<string>("layer") switch
        {
            "HOST" => Layer.Host,
            "VIRTUAL" => Layer.Virtual,
            "BUSINESS" => Layer.Business,
            _ => Layer.Unspecified,
        };
        var reference = new ObjectRef
        {
            Cluster = row.Get<string>("cluster"),
            Tenant = row.Get<string>("tenant"),
            Layer = layer,
            Kind = row.Get<string>("kind"),
            Namespace = row.Get<string>("namespace"),
            Name = row.Get<string>("name"),
            Uid = row.Get<string>("uid"),
            HostCluster = row.Get<string>("host_cluster"),
            HostNamespace = row.Get<string>("host_namespace"),
        };

        // The logs table has no api_version: a log line's source is a pod (or an adapter, which has none).
        reference.ApiVersion = row.Columns.Any(c => c.Name == "api_version") ? row.Get<string>("api_version") : reference.Kind == "Pod" ? "v1" : "";
        return reference;
    }

    private static LogLevel Level(string severity) => severity switch
    {
        "TRACE" => LogLevel.Trace,
        "DEBUG" => LogLevel.Debug,
        "INFO" => LogLevel.Info,
        "WARN" => LogLevel.Warn,
        "ERROR" => LogLevel.Error,
        "FATAL" => LogLevel.Fatal,
        _ => LogLevel.Unspecified,
    };

    private static void Fill(Google.Protobuf.Collections.MapField<string, string> map, object? column)
    {
        if (column is Dictionary<string, object?> values)
        {
            foreach (var (key, value) in values)
            {
                map[key] = value as string ?? "";
            }
        }
    }
}
