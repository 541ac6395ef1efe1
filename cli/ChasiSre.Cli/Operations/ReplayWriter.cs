using System.Globalization;
using ChasiSre.Platform.ClickHouse;
using ChasiSre.Schemas.V1;
using Google.Protobuf;

namespace ChasiSre.Cli.Operations;

/// <summary>
/// Writes a replay's results into the tables of migration 0003 (<c>replays</c>, <c>replay_incidents</c>,
/// <c>replay_diagnoses</c>), never into the production tables.
/// </summary>
internal sealed class ReplayWriter(IClickHouseStore store, string database)
{
    /// <summary>The tables a replay writes.</summary>
    public static readonly IReadOnlyList<string> Tables = ["replays", "replay_incidents", "replay_diagnoses"];

    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));

    private static readonly string[] IncidentColumns =
    [
        "replay_id", "label", "replayed_at", "incident_id", "version", "opened_at", "ts", "resolved_at", "tenant", "tenants", "cluster", "host_cluster",
        "host_namespace", "layer", "subject_layer", "api_version", "kind", "namespace", "name", "uid", "status", "severity", "category", "title", "summary",
        "fingerprint", "signal_count", "production_incident_id", "payload",
    ];

    private static readonly string[] DiagnosisColumns =
    [
        "replay_id", "label", "replayed_at", "incident_id", "version", "tenant", "layer", "category", "root_cause", "explanation", "confidence", "engine",
        "llm_calls", "knowledge_refs", "citation_ids", "remediation", "payload",
    ];

    private static readonly string[] ReplayColumns =
    [
        "replay_id", "label", "replayed_at", "window_from", "window_to", "detectors_only", "diagnosis", "objects", "events", "logs", "incidents", "matched",
        "only_replay", "only_production", "version",
    ];

    public async Task WriteAsync(
        ReplayReport report,
        IReadOnlyList<Incident> incidents,
        IReadOnlyList<Schemas.V1.Diagnosis> diagnoses,
        string version,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var at = report.ReplayedAt.UtcDateTime;
        if (incidents.Count > 0)
        {
            await store.InsertAsync($"{database}.replay_incidents", IncidentColumns, incidents.Select(i => Row(report, at, i)), cancellationToken);
        }

        if (diagnoses.Count > 0)
        {
            await store.InsertAsync($"{database}.replay_diagnoses", DiagnosisColumns, diagnoses.Select(d => Row(report, at, d)), cancellationToken);
        }

        // Last: a replays row says its incidents and diagnoses are all written.
        var input = report.Input;
        await store.InsertAsync(
            $"{database}.replays",
            ReplayColumns,
            [
                [
                    report.ReplayId, report.Label, at, report.From.UtcDateTime, report.To.UtcDateTime, report.DetectorsOnly, report.Diagnosis ?? "",
                    (ulong)(input.InitialObjects + input.Objects), (ulong)input.Events, (ulong)input.Logs, (uint)report.Incidents.Count,
                    (uint)report.Comparison.Matched, (uint)report.Comparison.OnlyInReplay, (uint)report.Comparison.OnlyInProduction, version,
                ],
            ],
            cancellationToken);
    }

    private static object?[] Row(ReplayReport report, DateTime at, Incident i)
    {
        var subject = i.Subject ?? new ObjectRef();
        var opened = i.OpenedAt?.ToDateTime() ?? at;
        return
        [
            report.ReplayId, report.Label, at, i.Id, (ulong)Math.Max(0, i.Revision), opened, i.UpdatedAt?.ToDateTime() ?? opened, i.ResolvedAt?.ToDateTime(),
            i.Tenant, i.Tenants.ToArray(), subject.Cluster, subject.HostCluster.Length > 0 ? subject.HostCluster : subject.Layer == Layer.Host ? subject.Cluster : "",
            subject.HostNamespace, LayerName(i.Layer), LayerName(subject.Layer), subject.ApiVersion, subject.Kind, subject.Namespace, subject.Name, subject.Uid,
            i.State.ToString().ToUpperInvariant(), i.Severity == Severity.Unspecified ? "" : i.Severity.ToString().ToUpperInvariant(), i.Category, i.Title,
            i.Summary, i.Fingerprint, (uint)Math.Max(0, i.SignalCount), report.Comparison.Matches.GetValueOrDefault(i.Id, ""), Json.Format(i),
        ];
    }

    private static object?[] Row(ReplayReport report, DateTime at, Schemas.V1.Diagnosis d) =>
    [
        report.ReplayId, report.Label, at, d.IncidentId, (ulong)Math.Max(0, d.IncidentRevision), d.Tenant, LayerName(d.Layer), d.Category, d.RootCause,
        d.Explanation, (float)d.Confidence, d.Engine, (uint)Math.Max(0, d.LlmCalls), d.Citations.Select(c => c.DocumentId).Distinct(StringComparer.Ordinal).ToArray(),
        d.Citations.Select(c => c.ChunkId).ToArray(), string.Join("\n", d.Remediations.Select(r => r.Title)), Json.Format(d),
    ];

    private static string LayerName(Layer layer) => layer switch
    {
        Layer.Host => "HOST",
        Layer.Virtual => "VIRTUAL",
        Layer.Business => "BUSINESS",
        _ => "",
    };

    /// <summary>A new replay id: the wall-clock second and a random suffix (<c>rpl-20260301T100000-1a2b3c</c>).</summary>
    public static string NewId(DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture, $"rpl-{at.UtcDateTime:yyyyMMdd'T'HHmmss}-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 3))}");
}
