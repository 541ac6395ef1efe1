using System.Globalization;
using ChasiSre.Platform.Kafka;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Streams.Store;

/// <summary>The topics the sink consumes and how their records become rows (tables of migrations 0001 and 0002).</summary>
internal static class SinkTables
{
    public static readonly SinkTable<ObjectRecord> Objects = new(
        TopicCatalog.Objects.Name,
        "objects",
        [
            "observed_at", "tenant", "host_cluster", "host_namespace", "cluster", "layer", "api_version", "kind", "namespace", "name", "uid",
            "twin_cluster", "twin_namespace", "twin_name", "twin_uid", "resource_version", "deleted", "generation", "created_at",
            "labels", "annotations", "owner_kinds", "owner_names", "from_list", "object_json_omitted", "object_json",
        ],
        MapObject);

    public static readonly SinkTable<KubeEvent> Events = new(
        TopicCatalog.Events.Name,
        "k8s_events",
        [
            "ts", "first_ts", "tenant", "cluster", "host_cluster", "host_namespace", "layer", "api_version", "kind", "namespace", "name", "uid",
            "twin_cluster", "twin_namespace", "twin_name", "event_uid", "type", "reason", "message", "source", "reporting_instance", "action",
            "count", "payload",
        ],
        MapEvent);

    public static readonly SinkTable<LogRecord> Logs = new(
        TopicCatalog.Logs.Name,
        "logs",
        [
            "ts", "id", "tenant", "host_cluster", "host_namespace", "cluster", "layer", "kind", "namespace", "name", "uid",
            "twin_cluster", "twin_namespace", "twin_name", "container", "previous", "severity", "message", "truncated", "attributes",
        ],
        MapLog);

    public static readonly SinkTable<Signal> Signals = new(
        TopicCatalog.Signals.Name,
        "signals",
        [
            "ts", "first_ts", "signal_id", "tenant", "cluster", "host_cluster", "host_namespace", "layer", "api_version", "kind", "namespace", "name", "uid",
            "twin_cluster", "twin_namespace", "twin_name", "detector", "reason", "severity", "category", "active",
            "cause_cluster", "cause_layer", "cause_kind", "cause_namespace", "cause_name", "score", "message", "labels", "payload",
        ],
        MapSignal);

    public static readonly SinkTable<Incident> Incidents = new(
        TopicCatalog.Incidents.Name,
        "incidents",
        [
            "incident_id", "version", "opened_at", "ts", "resolved_at", "tenant", "cluster", "host_cluster", "host_namespace", "layer", "subject_layer",
            "api_version", "kind", "namespace", "name", "uid", "twin_cluster", "twin_namespace", "twin_name", "status", "severity", "reason",
            "category", "tenants", "title", "message", "summary", "fingerprint", "signal_ids", "signal_count", "payload",
        ],
        MapIncident);

    public static readonly SinkTable<Diagnosis> Diagnoses = new(
        TopicCatalog.Diagnoses.Name,
        "diagnoses",
        [
            "incident_id", "diagnosis_id", "version", "incident_opened_at", "ts", "tenant", "cluster", "layer", "kind", "namespace", "name", "uid",
            "status", "severity", "root_cause", "explanation", "confidence", "engine", "evidence_refs", "knowledge_refs", "citation_ids",
            "remediation", "message", "payload",
        ],
        MapDiagnosis);

    public static readonly SinkTable<ActionRecord> Actions = new(
        TopicCatalog.Actions.Name,
        "actions",
        [
            "ts", "action_id", "incident_id", "tenant", "cluster", "layer", "api_version", "kind", "namespace", "name", "uid",
            "action_type", "phase", "actor", "policy", "dry_run", "message", "payload",
        ],
        MapAction);

    /// <summary>Every table the sink writes.</summary>
    public static IReadOnlyList<string> TableNames { get; } =
        [Objects.Table, Events.Table, Logs.Table, Signals.Table, Incidents.Table, Diagnoses.Table, Actions.Table];

    private static readonly Google.Protobuf.JsonFormatter Json = new(Google.Protobuf.JsonFormatter.Settings.Default.WithFormatDefaultValues(false));

    private static object?[]? MapObject(ConsumedRecord<ObjectRecord> record)
    {
        if (record.Value is not { } value)
        {
            return null; // Compaction tombstone: the ObjectTombstone before it carried the deletion.
        }

        switch (value.RecordCase)
        {
            case ObjectRecord.RecordOneofCase.Snapshot:
                {
                    var s = value.Snapshot;
                    var r = Required(s.Ref, "snapshot.ref");
                    return
                    [
                        Time(s.ObservedAt, record), r.Tenant, HostCluster(r), r.HostNamespace, r.Cluster, LayerName(r.Layer), r.ApiVersion, r.Kind, r.Namespace, r.Name, r.Uid,
                        r.Twin?.Cluster ?? "", r.Twin?.Namespace ?? "", r.Twin?.Name ?? "", r.Twin?.Uid ?? "", ResourceVersion(s.ResourceVersion), false, s.Generation,
                        s.CreatedAt?.ToDateTime(), new Dictionary<string, string>(s.Labels), new Dictionary<string, string>(s.Annotations),
                        s.Owners.Select(o => o.Kind).ToArray(), s.Owners.Select(o => o.Name).ToArray(), s.FromList, s.ObjectJsonOmitted, s.ObjectJson.ToStringUtf8(),
                    ];
                }

            case ObjectRecord.RecordOneofCase.Tombstone:
                {
                    var t = value.Tombstone;
                    var r = Required(t.Ref, "tombstone.ref");
                    return
                    [
                        Time(t.DeletedAt, record), r.Tenant, HostCluster(r), r.HostNamespace, r.Cluster, LayerName(r.Layer), r.ApiVersion, r.Kind, r.Namespace, r.Name, r.Uid,
                        r.Twin?.Cluster ?? "", r.Twin?.Namespace ?? "", r.Twin?.Name ?? "", r.Twin?.Uid ?? "", ResourceVersion(t.ResourceVersion), true, 0L,
                        null, new Dictionary<string, string>(), new Dictionary<string, string>(), Array.Empty<string>(), Array.Empty<string>(), false, false, "",
                    ];
                }

            default:
                throw new UnmappableRecordException("ObjectRecord has neither a snapshot nor a tombstone.");
        }
    }

    private static object?[] MapEvent(ConsumedRecord<KubeEvent> record)
    {
        var e = Required(record.Value, "value");
        var involved = Required(e.Involved, "involved");
        var uid = e.Event?.Uid is { Length: > 0 } eventUid ? eventUid : throw new UnmappableRecordException("KubeEvent has no event uid.");
        var last = Time(e.LastSeen ?? e.FirstSeen, record);
        return
        [
            last, e.FirstSeen is null ? last : e.FirstSeen.ToDateTime(), TenantOf(involved, e.Event), involved.Cluster, HostCluster(involved), involved.HostNamespace,
            LayerName(involved.Layer), involved.ApiVersion, involved.Kind, involved.Namespace, involved.Name, involved.Uid,
            involved.Twin?.Cluster ?? "", involved.Twin?.Namespace ?? "", involved.Twin?.Name ?? "", uid, e.Type, e.Reason, e.Message,
            e.ReportingComponent, e.ReportingInstance, e.Action, (uint)Math.Max(1, e.Count), Json.Format(e),
        ];
    }

    private static object?[] MapLog(ConsumedRecord<LogRecord> record)
    {
        var l = Required(record.Value, "value");
        var source = Required(l.Source, "source");
        if (l.Id.Length == 0)
        {
            throw new UnmappableRecordException("LogRecord has no id.");
        }

        return
        [
            Time(l.At, record), l.Id, source.Tenant, HostCluster(source), source.HostNamespace, source.Cluster, LayerName(source.Layer), source.Kind,
            source.Namespace, source.Name, source.Uid, source.Twin?.Cluster ?? "", source.Twin?.Namespace ?? "", source.Twin?.Name ?? "",
            l.Container, l.Previous, Upper(l.Level), l.Message, l.Truncated, new Dictionary<string, string>(l.Attributes),
        ];
    }

    private static object?[] MapSignal(ConsumedRecord<Signal> record)
    {
        var s = Required(record.Value, "value");
        var subject = Required(s.Subject, "subject");
        if (s.Id.Length == 0)
        {
            throw new UnmappableRecordException("Signal has no id.");
        }

        var last = Time(s.LastSeen ?? s.FirstSeen, record);
        return
        [
            last, s.FirstSeen is null ? last : s.FirstSeen.ToDateTime(), s.Id, subject.Tenant, subject.Cluster, HostCluster(subject), subject.HostNamespace,
            LayerName(subject.Layer), subject.ApiVersion, subject.Kind, subject.Namespace, subject.Name, subject.Uid,
            subject.Twin?.Cluster ?? "", subject.Twin?.Namespace ?? "", subject.Twin?.Name ?? "", s.Detector, s.Reason, SeverityName(s.Severity), s.Category, s.Active,
            s.Cause?.Cluster ?? "", s.Cause is null ? "" : LayerName(s.Cause.Layer), s.Cause?.Kind ?? "", s.Cause?.Namespace ?? "", s.Cause?.Name ?? "",
            s.Score, s.Message, new Dictionary<string, string>(s.Attributes), Json.Format(s),
        ];
    }

    private static object?[]? MapIncident(ConsumedRecord<Incident> record)
    {
        if (record.Value is not { } i)
        {
            return null; // Compaction tombstone of the incident key.
        }

        if (i.Id.Length == 0)
        {
            throw new UnmappableRecordException("Incident has no id.");
        }

        var subject = i.Subject ?? new ObjectRef();
        var opened = Time(i.OpenedAt, record);
        return
        [
            i.Id, (ulong)Math.Max(0, i.Revision), opened, i.UpdatedAt is null ? opened : i.UpdatedAt.ToDateTime(), i.ResolvedAt?.ToDateTime(),
            i.Tenant, subject.Cluster, HostCluster(subject), subject.HostNamespace, LayerName(i.Layer), LayerName(subject.Layer),
            subject.ApiVersion, subject.Kind, subject.Namespace, subject.Name, subject.Uid, subject.Twin?.Cluster ?? "", subject.Twin?.Namespace ?? "", subject.Twin?.Name ?? "",
            Upper(i.State), SeverityName(i.Severity), i.Signals.Count > 0 ? i.Signals[^1].Reason : "", i.Category, i.Tenants.ToArray(),
            i.Title, i.Summary, i.Summary, i.Fingerprint, i.Signals.Select(s => s.Id).ToArray(), (uint)Math.Max(0, i.SignalCount), Json.Format(i),
        ];
    }

    private static object?[]? MapDiagnosis(ConsumedRecord<Diagnosis> record)
    {
        if (record.Value is not { } d)
        {
            return null; // Compaction tombstone of the incident key.
        }

        if (d.IncidentId.Length == 0)
        {
            throw new UnmappableRecordException("Diagnosis has no incident_id.");
        }

        // A Diagnosis carries no subject nor opening time: those live on the incident (join on incident_id).
        var diagnosedAt = Time(d.DiagnosedAt, record);
        var revision = (ulong)Math.Max(0, d.IncidentRevision);
        return
        [
            d.IncidentId, string.Create(CultureInfo.InvariantCulture, $"{d.IncidentId}@{revision}"), revision, diagnosedAt, diagnosedAt, d.Tenant,
            "", LayerName(d.Layer), "", "", "", "", "DIAGNOSED", "", d.RootCause, d.Explanation, (float)d.Confidence, d.Engine,
            d.Evidence.Select(e => e.RecordId.Length > 0 ? e.RecordId : $"{e.Topic}/{e.Partition}/{e.Offset}").ToArray(),
            d.Citations.Select(c => c.DocumentId).Distinct(StringComparer.Ordinal).ToArray(), d.Citations.Select(c => c.ChunkId).ToArray(),
            string.Join("\n", d.Remediations.Select(r => r.Title)), d.Explanation, Json.Format(d),
        ];
    }

    private static object?[]? MapAction(ConsumedRecord<ActionRecord> record)
    {
        var a = record.Value ?? throw new UnmappableRecordException("chasi.actions.v1 is an audit trail: a record without a value is not an action step.");
        if (a.ActionId.Length == 0)
        {
            throw new UnmappableRecordException("ActionRecord has no action_id.");
        }

        if (a.Phase == ActionPhase.Unspecified)
        {
            throw new UnmappableRecordException($"ActionRecord {a.ActionId} has no phase.");
        }

        var target = a.Remediation?.Target ?? new ObjectRef();
        return
        [
            Time(a.At, record), a.ActionId, a.IncidentId, a.Tenant.Length > 0 ? a.Tenant : target.Tenant, target.Cluster, LayerName(target.Layer),
            target.ApiVersion, target.Kind, target.Namespace, target.Name, target.Uid, a.Remediation?.Action ?? "", PhaseName(a.Phase), a.Actor,
            a.PolicyRule, a.DryRun, a.Reason.Length > 0 ? a.Reason : a.Output, Json.Format(a),
        ];
    }

    /// <summary><c>PENDING_APPROVAL</c> for <see cref="ActionPhase.PendingApproval"/>: the contract's name without its prefix.</summary>
    internal static string PhaseName(ActionPhase phase) =>
        ActionPhaseDescriptor.FindValueByNumber((int)phase) is { } value ? value.Name["ACTION_PHASE_".Length..] : ((int)phase).ToString(CultureInfo.InvariantCulture);

    private static readonly Google.Protobuf.Reflection.EnumDescriptor ActionPhaseDescriptor = ActionRecord.Descriptor.FindFieldByName("phase").EnumType;

    private static T Required<T>(T? value, string what)
        where T : class =>
        value ?? throw new UnmappableRecordException($"Record has no {what}.");

    private static DateTime Time<T>(Timestamp? at, ConsumedRecord<T> record)
        where T : class =>
        at?.ToDateTime() ?? record.Timestamp.UtcDateTime;

    private static string HostCluster(ObjectRef r) => r.HostCluster.Length > 0 ? r.HostCluster : r.Layer == Layer.Host ? r.Cluster : "";

    private static string TenantOf(ObjectRef involved, ObjectRef? eventRef) => involved.Tenant.Length > 0 ? involved.Tenant : eventRef?.Tenant ?? "";

    private static ulong ResourceVersion(string text)
    {
        if (text.Length == 0)
        {
            return 0;
        }

        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new UnmappableRecordException($"resourceVersion '{text}' is not a number.");
    }

    private static string LayerName(Layer layer) => layer switch
    {
        Layer.Host => "HOST",
        Layer.Virtual => "VIRTUAL",
        Layer.Business => "BUSINESS",
        _ => "",
    };

    private static string SeverityName(Severity severity) => severity == Severity.Unspecified ? "" : severity.ToString().ToUpperInvariant();

    /// <summary>The proto enum value name without its prefix (C# names drop it), upper-cased: <c>Warn</c> → <c>WARN</c>.</summary>
    private static string Upper(System.Enum value) => value.ToString().ToUpperInvariant();
}
