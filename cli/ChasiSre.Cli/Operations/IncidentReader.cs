using System.Text;
using ChasiSre.Api;
using ChasiSre.Platform.ClickHouse;
using ChasiSre.Schemas.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Cli.Operations;

/// <summary>
/// Reads incidents and diagnoses back from the sink's tables for <c>chasi incidents</c> and <c>chasi replay</c>, in the
/// HTTP API's views (<see cref="IncidentSummary"/>, <see cref="IncidentDetail"/>), so the CLI's JSON and the API's agree.
/// Both tables are ReplacingMergeTrees keyed by (tenant, incident_id) with the revision as version: every read uses
/// <c>FINAL</c> (one row per incident, its latest revision) and filters after the merge.
/// </summary>
/// <remarks>
/// With a replay id it reads what that <c>chasi replay</c> produced instead (<c>replay_incidents</c>, <c>replay_diagnoses</c>:
/// the same columns and payloads). The API's own reader (<c>ApiReadStore</c>) is internal to ChasiSre.Api; this is the
/// CLI's, without tenant scopes.
/// </remarks>
internal sealed class IncidentReader(IClickHouseStore store, string database, string? replayId = null)
{
    private readonly string incidents = replayId is null ? $"{database}.incidents" : $"{database}.replay_incidents";
    private readonly string diagnoses = replayId is null ? $"{database}.diagnoses" : $"{database}.replay_diagnoses";
    private readonly string ofReplay = replayId is null ? "" : $" AND replay_id = {ClickHouseLiteral.Of(replayId)}";

    /// <summary>Parses payloads written by a newer pipeline too: fields this build does not know are skipped.</summary>
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private const string SummaryColumns =
        "incident_id, tenant, tenants, title, summary, category, layer, subject_layer, cluster, host_cluster, host_namespace, " +
        "api_version, kind, namespace, name, uid, severity, status, opened_at, ts, resolved_at, version, signal_count";

    public async Task<IncidentList> ListAsync(IncidentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder($"SELECT {SummaryColumns} FROM {incidents} FINAL WHERE 1{ofReplay}");
        if (query.Tenant is { } tenant)
        {
            sql.Append($" AND (tenant = {ClickHouseLiteral.Of(tenant)} OR has(tenants, {ClickHouseLiteral.Of(tenant)}))");
        }

        if (query.Cluster is { } cluster)
        {
            sql.Append($" AND (cluster = {ClickHouseLiteral.Of(cluster)} OR host_cluster = {ClickHouseLiteral.Of(cluster)})");
        }

        Equal(sql, "layer", query.Layer);
        Equal(sql, "category", query.Category);
        Equal(sql, "status", query.State);
        if (query.Since is { } since)
        {
            sql.Append($" AND opened_at >= {ClickHouseLiteral.Of(since)}");
        }

        sql.Append($" ORDER BY opened_at DESC, incident_id DESC LIMIT {query.Limit + 1L}");
        var rows = await store.QueryAsync(sql.ToString(), cancellationToken);
        return new IncidentList([.. rows.Take(query.Limit).Select(Summary)], rows.Count > query.Limit);
    }

    /// <summary>The incident with its affected objects, signals and latest diagnosis; null when there is none with that id.</summary>
    public async Task<IncidentDetail?> GetAsync(string incidentId, CancellationToken cancellationToken = default)
    {
        var rows = await store.QueryAsync(
            $"SELECT {SummaryColumns}, fingerprint, payload FROM {incidents} FINAL WHERE incident_id = {ClickHouseLiteral.Of(incidentId)}{ofReplay} ORDER BY version DESC LIMIT 1",
            cancellationToken);
        if (rows.Count == 0)
        {
            return null;
        }

        var row = rows[0];
        var incident = Parser.Parse<Incident>(row.Get<string>("payload"));
        var diagnosisRows = await store.QueryAsync(
            $"SELECT payload FROM {diagnoses} FINAL WHERE incident_id = {ClickHouseLiteral.Of(incidentId)}{ofReplay} ORDER BY version DESC LIMIT 1",
            cancellationToken);
        var diagnosis = diagnosisRows.Count == 0 ? null : Parser.Parse<Schemas.V1.Diagnosis>(diagnosisRows[0].Get<string>("payload"));
        return new IncidentDetail(
            Summary(row),
            row.Get<string>("fingerprint"),
            [.. incident.Affected.Select(a => View(a)!)],
            [.. incident.Signals.Select(Signal)],
            diagnosis is null ? null : Diagnosis(diagnosis));
    }

    /// <summary>Every incident opened in [<paramref name="from"/>, <paramref name="to"/>), latest revisions, oldest first.</summary>
    public async Task<IReadOnlyList<IncidentSummary>> OpenedBetweenAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var rows = await store.QueryAsync(
            $"SELECT {SummaryColumns} FROM {incidents} FINAL WHERE opened_at >= {ClickHouseLiteral.Of(from)} AND opened_at < {ClickHouseLiteral.Of(to)}{ofReplay} ORDER BY opened_at, incident_id",
            cancellationToken);
        return [.. rows.Select(Summary)];
    }

    /// <summary>An object's identity as the API shows it (layer lowercase; the host cluster filled in for host objects).</summary>
    public static ObjectRefView? View(ObjectRef? reference) => reference is null
        ? null
        : new ObjectRefView(
            reference.Cluster, reference.Tenant, Layer(reference.Layer), reference.ApiVersion, reference.Kind, reference.Namespace, reference.Name,
            reference.Uid, reference.HostCluster.Length > 0 ? reference.HostCluster : reference.Layer == Schemas.V1.Layer.Host ? reference.Cluster : "",
            reference.HostNamespace);

    public static string Layer(Layer layer) => layer switch
    {
        Schemas.V1.Layer.Host => "host",
        Schemas.V1.Layer.Virtual => "virtual",
        Schemas.V1.Layer.Business => "business",
        _ => "",
    };

    private static void Equal(StringBuilder sql, string column, string? value)
    {
        if (value is not null)
        {
            sql.Append($" AND {column} = {ClickHouseLiteral.Of(value)}");
        }
    }

    private static IncidentSummary Summary(ClickHouseRow row)
    {
        var tenant = row.Get<string>("tenant");
        var tenants = ((object?[])row["tenants"]!).Select(t => (string)t!).ToList();
        var resolved = row["resolved_at"] is DateTime at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : (DateTimeOffset?)null;
        var subject = new ObjectRefView(
            row.Get<string>("cluster"), tenant, Lower(row.Get<string>("subject_layer")), row.Get<string>("api_version"), row.Get<string>("kind"),
            row.Get<string>("namespace"), row.Get<string>("name"), row.Get<string>("uid"), row.Get<string>("host_cluster"), row.Get<string>("host_namespace"));
        return new IncidentSummary(
            row.Get<string>("incident_id"), tenant, tenants, row.Get<string>("title"), row.Get<string>("summary"), row.Get<string>("category"),
            Lower(row.Get<string>("layer")), Lower(row.Get<string>("severity")), Lower(row.Get<string>("status")), subject,
            row.Get<DateTimeOffset>("opened_at"), row.Get<DateTimeOffset>("ts"), resolved, (long)row.Get<ulong>("version"), row.Get<long>("signal_count"));
    }

    private static string Lower(string value) => value.ToLowerInvariant();

    private static string Severity(Severity severity) => severity == Schemas.V1.Severity.Unspecified ? "" : severity.ToString().ToLowerInvariant();

    private static DateTimeOffset? Time(Timestamp? at) => at?.ToDateTimeOffset();

    private static SignalView Signal(Signal signal) => new(
        signal.Id, signal.Detector, View(signal.Subject), Severity(signal.Severity), signal.Reason, signal.Message, signal.Category, signal.Active,
        Time(signal.FirstSeen), Time(signal.LastSeen), signal.Score);

    private static DiagnosisView Diagnosis(Schemas.V1.Diagnosis diagnosis) => new(
        diagnosis.IncidentId,
        diagnosis.IncidentRevision,
        diagnosis.Tenant,
        diagnosis.RootCause,
        diagnosis.Explanation,
        diagnosis.Confidence,
        diagnosis.Engine,
        Layer(diagnosis.Layer),
        diagnosis.Category,
        Time(diagnosis.DiagnosedAt),
        diagnosis.LlmCalls,
        [.. diagnosis.Citations.Select(c => new CitationView(c.DocumentId, c.Title, c.ChunkId, c.Score))],
        [.. diagnosis.Evidence.Select(e => new EvidenceView(e.Topic, e.Key, e.RecordId, e.Summary, Time(e.At)))],
        [.. diagnosis.Remediations.Select(r => new RemediationView(
            r.Id, r.Title, r.Description, r.Action, View(r.Target), new Dictionary<string, string>(r.Parameters, StringComparer.Ordinal), r.Risk.ToString().ToLowerInvariant()))]);
}
