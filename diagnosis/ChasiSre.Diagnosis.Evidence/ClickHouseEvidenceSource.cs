using System.Diagnostics;
using System.Globalization;
using System.Text;
using ChasiSre.Platform.ClickHouse;
using ChasiSre.Schemas.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Diagnosis.Evidence;

/// <summary>
/// Loads an incident's evidence from the tables the ClickHouse sink writes (migrations 0001 and 0002): the latest
/// snapshot of each related object as of the incident (<c>objects FINAL</c>, highest resource_version), the events
/// of those objects and the signals about them in a window around the incident, the incident's own signals by id, and
/// the log lines of its pods. Works on either backend (chDB or a server) through <see cref="IClickHouseStore"/>.
/// </summary>
/// <remarks>
/// Tenant-safe: every statement filters on the incident's tenants (plus the empty tenant of platform-owned host
/// objects) and names each object by its full identity; a related object of any other tenant is not queried at all.
/// Values reach SQL only as escaped literals (<see cref="SqlLiteral"/>).
/// </remarks>
public sealed class ClickHouseEvidenceSource : IEvidenceSource
{
    private static readonly JsonParser Json = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private readonly IClickHouseStore store;
    private readonly ClickHouseEvidenceSourceOptions options;
    private readonly string database;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;

    public ClickHouseEvidenceSource(
        IClickHouseStore store,
        IOptions<ClickHouseOptions> clickHouse,
        IOptions<ClickHouseEvidenceSourceOptions> options,
        TimeProvider timeProvider,
        ILogger<ClickHouseEvidenceSource>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clickHouse);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        this.store = store;
        this.options = options.Value;
        database = clickHouse.Value.Database;
        this.timeProvider = timeProvider;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc/>
    public async Task<EvidenceInputs> LoadAsync(Incident incident, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incident);
        using var activity = EvidenceTelemetry.Source.StartActivity(EvidenceTelemetryNames.LoadActivity);
        activity?.SetTag("chasisre.incident.id", incident.Id);
        var started = timeProvider.GetTimestamp();

        var scope = new IncidentScope(incident);
        var tenants = SqlLiteral.List(scope.Tenants.Append(""));
        var related = scope.Related.Where(scope.InScope).Take(options.MaxObjects).ToList();
        var skipped = scope.Related.Count(r => !scope.InScope(r));
        if (skipped > 0)
        {
            logger.OutOfScopeReferences(incident.Id, skipped);
        }

        var now = timeProvider.GetUtcNow().UtcDateTime;
        var from = (incident.OpenedAt ?? incident.UpdatedAt)?.ToDateTime() ?? now;
        var to = (incident.ResolvedAt ?? incident.UpdatedAt ?? incident.OpenedAt)?.ToDateTime() ?? now;
        var start = SqlLiteral.DateTime64(from - options.WindowBefore);
        var end = SqlLiteral.DateTime64((to > from ? to : from) + options.WindowAfter);

        var signalIds = incident.Signals.Select(s => s.Id).Where(id => id.Length > 0).ToList();
        if (related.Count == 0 && signalIds.Count == 0)
        {
            logger.NothingRelated(incident.Id);
            return EvidenceInputs.Empty;
        }

        IReadOnlyList<ObjectSnapshot> objects = [];
        IReadOnlyList<KubeEvent> events = [];
        IReadOnlyList<LogRecord> logs = [];
        if (related.Count > 0)
        {
            objects = await LoadObjectsAsync(related, tenants, end, cancellationToken).ConfigureAwait(false);
            events = await LoadEventsAsync(incident.Id, related, tenants, start, end, cancellationToken).ConfigureAwait(false);
            var pods = related.Where(r => r.Kind == "Pod").ToList();
            if (pods.Count > 0)
            {
                logs = await LoadLogsAsync(pods, tenants, start, end, cancellationToken).ConfigureAwait(false);
            }
        }

        var signals = await LoadSignalsAsync(incident.Id, related, signalIds, tenants, start, end, cancellationToken).ConfigureAwait(false);

        var elapsed = timeProvider.GetElapsedTime(started);
        EvidenceTelemetry.LoadDuration.Record(elapsed.TotalSeconds);
        logger.EvidenceLoaded(incident.Id, elapsed, objects.Count, events.Count, logs.Count, signals.Count);
        return new EvidenceInputs { Objects = objects, Events = events, Logs = logs, Signals = signals };
    }

    private async Task<IReadOnlyList<ObjectSnapshot>> LoadObjectsAsync(List<ObjectRef> related, string tenants, string end, CancellationToken cancellationToken)
    {
        // As of the incident: the highest resourceVersion observed by its end, tombstones excluded (a deleted pod's last
        // state is evidence too).
        var sql = $"""
            SELECT observed_at, tenant, host_cluster, host_namespace, cluster, layer, api_version, kind, namespace, name, uid,
                   twin_cluster, twin_namespace, twin_name, twin_uid, resource_version, generation, created_at, labels, annotations,
                   owner_kinds, owner_names, from_list, object_json_omitted, object_json
            FROM {database}.objects FINAL
            WHERE tenant IN {tenants} AND deleted = false AND observed_at <= {end}
              AND ({Identities(related, withKind: true)})
            ORDER BY resource_version DESC, observed_at DESC
            LIMIT 1 BY tenant, host_cluster, host_namespace, cluster, kind, namespace, name
            LIMIT {options.MaxObjects.ToString(CultureInfo.InvariantCulture)}
            """;
        var rows = await store.QueryAsync(sql, cancellationToken).ConfigureAwait(false);
        Count("objects", rows.Count);
        return rows.Select(Snapshot).ToList();
    }

    private async Task<IReadOnlyList<KubeEvent>> LoadEventsAsync(string incidentId, List<ObjectRef> related, string tenants, string start, string end, CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT payload
            FROM {database}.k8s_events FINAL
            WHERE tenant IN {tenants} AND ts >= {start} AND first_ts <= {end}
              AND ({Identities(related, withKind: true)})
            ORDER BY ts DESC, event_uid
            LIMIT {options.MaxEvents.ToString(CultureInfo.InvariantCulture)}
            """;
        var rows = await store.QueryAsync(sql, cancellationToken).ConfigureAwait(false);
        Count("k8s_events", rows.Count);
        return Parse<KubeEvent>(incidentId, "k8s_events", rows);
    }

    private async Task<IReadOnlyList<LogRecord>> LoadLogsAsync(List<ObjectRef> pods, string tenants, string start, string end, CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT ts, id, tenant, host_cluster, host_namespace, cluster, layer, kind, namespace, name, uid,
                   twin_cluster, twin_namespace, twin_name, container, previous, severity, message, truncated, attributes
            FROM {database}.logs FINAL
            WHERE tenant IN {tenants} AND ts >= {start} AND ts <= {end}
              AND ({Identities(pods, withKind: false)})
            ORDER BY ts DESC, id
            LIMIT {options.MaxLogLinesPerContainer.ToString(CultureInfo.InvariantCulture)} BY host_namespace, cluster, namespace, name, container, previous
            LIMIT {options.MaxLogLines.ToString(CultureInfo.InvariantCulture)}
            """;
        var rows = await store.QueryAsync(sql, cancellationToken).ConfigureAwait(false);
        Count("logs", rows.Count);
        return rows.Select(LogLine).ToList();
    }

    private async Task<IReadOnlyList<Signal>> LoadSignalsAsync(string incidentId, List<ObjectRef> related, List<string> signalIds, string tenants, string start, string end, CancellationToken cancellationToken)
    {
        var about = related.Count == 0 ? "false" : $"(({Identities(related, withKind: true)}) AND ts >= {start} AND first_ts <= {end})";
        var sql = $"""
            SELECT payload
            FROM {database}.signals FINAL
            WHERE tenant IN {tenants}
              AND (signal_id IN {SqlLiteral.List(signalIds)} OR {about})
            ORDER BY ts DESC, signal_id
            LIMIT 1 BY signal_id
            LIMIT {options.MaxSignals.ToString(CultureInfo.InvariantCulture)}
            """;
        var rows = await store.QueryAsync(sql, cancellationToken).ConfigureAwait(false);
        Count("signals", rows.Count);
        return Parse<Signal>(incidentId, "signals", rows);
    }

    // (tenant = .. AND cluster = .. AND namespace = .. AND name = ..) OR ...: each object by its full identity, its vCluster
    // placement included (a vCluster name is unique only within its host namespace).
    private static string Identities(IEnumerable<ObjectRef> references, bool withKind)
    {
        var text = new StringBuilder();
        foreach (var r in references)
        {
            if (text.Length > 0)
            {
                text.Append("\n   OR ");
            }

            text.Append(CultureInfo.InvariantCulture, $"(tenant = {SqlLiteral.String(r.Tenant)} AND cluster = {SqlLiteral.String(r.Cluster)} AND namespace = {SqlLiteral.String(r.Namespace)} AND name = {SqlLiteral.String(r.Name)}");
            if (withKind)
            {
                text.Append(CultureInfo.InvariantCulture, $" AND kind = {SqlLiteral.String(r.Kind)}");
            }

            if (r.HostNamespace.Length > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $" AND host_namespace = {SqlLiteral.String(r.HostNamespace)}");
            }

            text.Append(')');
        }

        return text.Length == 0 ? "false" : text.ToString();
    }

    private List<T> Parse<T>(string incidentId, string table, ClickHouseQueryResult rows)
        where T : class, IMessage<T>, new()
    {
        var parsed = new List<T>(rows.Count);
        foreach (var row in rows)
        {
            try
            {
                parsed.Add(Json.Parse<T>(row.Get<string>("payload")));
            }
            catch (InvalidProtocolBufferException exception)
            {
                logger.UnreadablePayload(exception, incidentId, table);
            }
            catch (InvalidJsonException exception)
            {
                logger.UnreadablePayload(exception, incidentId, table);
            }
        }

        return parsed;
    }

    private static ObjectSnapshot Snapshot(ClickHouseRow row)
    {
        var reference = Reference(row, row.Get<string>("api_version"), row.Get<string>("kind"));
        if (row.Get<string>("twin_name").Length > 0)
        {
            reference.Twin!.Uid = row.Get<string>("twin_uid");
        }

        var snapshot = new ObjectSnapshot
        {
            Ref = reference,
            ResourceVersion = row.Get<ulong>("resource_version").ToString(CultureInfo.InvariantCulture),
            Generation = row.Get<long>("generation"),
            ObservedAt = Utc(row.Get<DateTime>("observed_at")),
            CreatedAt = row.IsNull("created_at") ? null : Utc(row.Get<DateTime>("created_at")),
            FromList = row.Get<bool>("from_list"),
            ObjectJsonOmitted = row.Get<bool>("object_json_omitted"),
            ObjectJson = ByteString.CopyFromUtf8(row.Get<string>("object_json")),
        };
        AddAll(snapshot.Labels, row["labels"]);
        AddAll(snapshot.Annotations, row["annotations"]);
        if (row["owner_kinds"] is object?[] kinds && row["owner_names"] is object?[] names)
        {
            for (var i = 0; i < Math.Min(kinds.Length, names.Length); i++)
            {
                snapshot.Owners.Add(new OwnerRef { Kind = kinds[i] as string ?? "", Name = names[i] as string ?? "" });
            }
        }

        return snapshot;
    }

    private static LogRecord LogLine(ClickHouseRow row)
    {
        var record = new LogRecord
        {
            Source = Reference(row, "v1", row.Get<string>("kind")),
            Container = row.Get<string>("container"),
            Previous = row.Get<bool>("previous"),
            At = Utc(row.Get<DateTime>("ts")),
            Level = System.Enum.TryParse<Schemas.V1.LogLevel>(row.Get<string>("severity"), ignoreCase: true, out var level) ? level : Schemas.V1.LogLevel.Unspecified,
            Message = row.Get<string>("message"),
            Truncated = row.Get<bool>("truncated"),
            Id = row.Get<string>("id"),
        };
        AddAll(record.Attributes, row["attributes"]);
        return record;
    }

    private static ObjectRef Reference(ClickHouseRow row, string apiVersion, string kind)
    {
        var layer = Layer(row.Get<string>("layer"));
        var reference = new ObjectRef
        {
            Cluster = row.Get<string>("cluster"),
            Tenant = row.Get<string>("tenant"),
            Layer = layer,
            ApiVersion = apiVersion,
            Kind = kind,
            Namespace = row.Get<string>("namespace"),
            Name = row.Get<string>("name"),
            Uid = row.Get<string>("uid"),
            HostCluster = row.Get<string>("host_cluster"),
            HostNamespace = row.Get<string>("host_namespace"),
        };
        if (row.Get<string>("twin_name") is { Length: > 0 } twinName)
        {
            reference.Twin = new ObjectRef
            {
                Cluster = row.Get<string>("twin_cluster"),
                Tenant = reference.Tenant,
                Layer = layer == Schemas.V1.Layer.Host ? Schemas.V1.Layer.Virtual : Schemas.V1.Layer.Host,
                ApiVersion = apiVersion,
                Kind = kind,
                Namespace = row.Get<string>("twin_namespace"),
                Name = twinName,
            };
        }

        return reference;
    }

    private static Layer Layer(string name) => name switch
    {
        "HOST" => Schemas.V1.Layer.Host,
        "VIRTUAL" => Schemas.V1.Layer.Virtual,
        "BUSINESS" => Schemas.V1.Layer.Business,
        _ => Schemas.V1.Layer.Unspecified,
    };

    private static Timestamp Utc(DateTime at) => Timestamp.FromDateTime(DateTime.SpecifyKind(at, DateTimeKind.Utc));

    private static void AddAll(Google.Protobuf.Collections.MapField<string, string> target, object? map)
    {
        if (map is not Dictionary<string, object?> values)
        {
            return;
        }

        foreach (var (key, value) in values)
        {
            target[key] = value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        }
    }

    private static void Count(string table, int rows) =>
        EvidenceTelemetry.RowsLoaded.Add(rows, new KeyValuePair<string, object?>(EvidenceTelemetryNames.TableTag, table));
}
