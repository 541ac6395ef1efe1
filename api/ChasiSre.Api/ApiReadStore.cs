using ChasiSre.Platform.ClickHouse;
using ChasiSre.Schemas.V1;
using Microsoft.Extensions.Options;

namespace ChasiSre.Api;

/// <summary>
/// Reads incidents, diagnoses and proposals from the sink's tables through <see cref="IClickHouseStore"/>. Both tables
/// are ReplacingMergeTrees keyed by (tenant, incident_id) with the incident revision as version, so every read uses
/// <c>FINAL</c>: one row per incident, its latest revision, with filters applied after the merge. The caller's tenant
/// scope is part of every statement's WHERE clause, as a parameter.
/// </summary>
internal sealed class ApiReadStore(IClickHouseStore store, IOptions<ClickHouseOptions> clickHouse)
{
    private const string SummaryColumns =
        "incident_id, tenant, tenants, title, summary, category, layer, subject_layer, cluster, host_cluster, host_namespace, " +
        "api_version, kind, namespace, name, uid, severity, status, opened_at, ts, resolved_at, version, signal_count";

    private readonly string database = clickHouse.Value.Database;

    public async Task<IncidentPage> ListIncidentsAsync(IncidentFilter filter, TenantScope scope, CancellationToken cancellationToken = default)
    {
        var query = new ClickHouseQuery().Append($"SELECT {SummaryColumns} FROM {database}.incidents FINAL WHERE 1");
        AppendIncidentScope(query, scope);
        if (filter.Tenant is not null)
        {
            query.Append(" AND (tenant = {tenant} OR has(tenants, {tenant}))").Set("tenant", filter.Tenant);
        }

        if (filter.Cluster is not null)
        {
            query.Append(" AND (cluster = {cluster} OR host_cluster = {cluster})").Set("cluster", filter.Cluster);
        }

        Equal(query, "layer", filter.Layer);
        Equal(query, "category", filter.Category);
        Equal(query, "status", filter.State);
        Equal(query, "severity", filter.Severity);
        if (filter.Since is { } since)
        {
            query.Append(" AND opened_at >= {since}").Set("since", since);
        }

        if (filter.Until is { } until)
        {
            query.Append(" AND opened_at < {until}").Set("until", until);
        }

        if (filter.Cursor is { } cursor)
        {
            query.Append(" AND (opened_at, incident_id) < ({cursor_at}, {cursor_id})").Set("cursor_at", cursor.At).Set("cursor_id", cursor.Id);
        }

        query.Append(" ORDER BY opened_at DESC, incident_id DESC LIMIT {limit}").Set("limit", filter.Limit + 1L);
        var rows = await store.QueryAsync(query.Render(), cancellationToken);
        var items = rows.Take(filter.Limit).Select(r => Summary(r, scope)).ToList();
        var next = rows.Count > filter.Limit ? new PageCursor(items[^1].OpenedAt, items[^1].Id).Encode() : null;
        return new IncidentPage(items, next);
    }

    /// <summary>The incident and its latest diagnosis, or null when it does not exist or is outside <paramref name="scope"/>.</summary>
    public async Task<IncidentDetail?> GetIncidentAsync(string incidentId, TenantScope scope, CancellationToken cancellationToken = default)
    {
        var query = new ClickHouseQuery()
            .Append($"SELECT {SummaryColumns}, fingerprint, payload FROM {database}.incidents FINAL WHERE incident_id = {{id}}")
            .Set("id", incidentId);
        AppendIncidentScope(query, scope);
        query.Append(" ORDER BY version DESC LIMIT 1");
        var rows = await store.QueryAsync(query.Render(), cancellationToken);
        if (rows.Count == 0)
        {
            return null;
        }

        var row = rows[0];
        var incident = ProtoViews.Parser.Parse<Incident>(row.Get<string>("payload"));
        var diagnosis = await GetDiagnosisAsync(incidentId, TenantScope.All, cancellationToken);
        return new IncidentDetail(
            Summary(row, scope),
            row.Get<string>("fingerprint"),
            [.. incident.Affected.Where(a => ProtoViews.Visible(a, scope)).Select(a => ProtoViews.Object(a)!)],
            [.. incident.Signals.Where(s => ProtoViews.Visible(s.Subject, scope)).Select(ProtoViews.Signal)],
            diagnosis is null ? null : ProtoViews.Diagnosis(diagnosis, scope));
    }

    /// <summary>The latest diagnosis of an incident visible in <paramref name="scope"/>, or null.</summary>
    public async Task<Schemas.V1.Diagnosis?> GetDiagnosisAsync(string incidentId, TenantScope scope, CancellationToken cancellationToken = default)
    {
        var query = new ClickHouseQuery()
            .Append($"SELECT payload FROM {database}.diagnoses FINAL WHERE incident_id = {{id}}")
            .Set("id", incidentId);
        AppendDiagnosisScope(query, scope);
        query.Append(" ORDER BY version DESC LIMIT 1");
        var rows = await store.QueryAsync(query.Render(), cancellationToken);
        return rows.Count == 0 ? null : ProtoViews.Parser.Parse<Schemas.V1.Diagnosis>(rows[0].Get<string>("payload"));
    }

    /// <summary>
    /// Remediations with an action, of the latest diagnosis of every incident in <paramref name="scope"/>, newest
    /// diagnosis first; a scoped caller does not see remediations aimed at another tenant's objects.
    /// </summary>
    public async Task<ProposalPage> ListProposalsAsync(ProposalFilter filter, TenantScope scope, CancellationToken cancellationToken = default)
    {
        var query = new ClickHouseQuery().Append(
            $"SELECT incident_id, version, tenant, ts, engine, r FROM {database}.diagnoses FINAL " +
            "ARRAY JOIN JSONExtractArrayRaw(payload, 'remediations') AS r WHERE JSONExtractString(r, 'action') != ''");
        AppendDiagnosisScope(query, scope);
        if (!scope.IsAll)
        {
            query.Append(" AND (JSONExtractString(r, 'target', 'tenant') = '' OR has({scope}, JSONExtractString(r, 'target', 'tenant')))");
        }

        if (filter.Tenant is not null)
        {
            query.Append($" AND (tenant = {{tenant}} OR incident_id IN (SELECT incident_id FROM {database}.incidents FINAL WHERE has(tenants, {{tenant}})))")
                .Set("tenant", filter.Tenant);
        }

        if (filter.IncidentId is not null)
        {
            query.Append(" AND incident_id = {incident}").Set("incident", filter.IncidentId);
        }

        if (filter.Action is not null)
        {
            query.Append(" AND JSONExtractString(r, 'action') = {action}").Set("action", filter.Action);
        }

        query.Append(" ORDER BY ts DESC, incident_id, JSONExtractString(r, 'id') LIMIT {limit} OFFSET {offset}")
            .Set("limit", filter.Limit + 1L)
            .Set("offset", filter.Offset);
        var rows = await store.QueryAsync(query.Render(), cancellationToken);
        var items = rows.Take(filter.Limit).Select(row =>
        {
            var remediation = ProtoViews.Parser.Parse<Remediation>(row.Get<string>("r"));
            var incidentId = row.Get<string>("incident_id");
            var revision = (long)row.Get<ulong>("version");
            return new ActionProposal(
                $"{incidentId}@{revision}/{remediation.Id}", incidentId, revision, row.Get<string>("tenant"), row.Get<DateTimeOffset>("ts"),
                remediation.Action, remediation.Title, remediation.Description, ProtoViews.Object(remediation.Target),
                new Dictionary<string, string>(remediation.Parameters, StringComparer.Ordinal), ProtoViews.Risk(remediation.Risk), row.Get<string>("engine"));
        }).ToList();
        return new ProposalPage(items, filter.Offset, rows.Count > filter.Limit ? filter.Offset + filter.Limit : null);
    }

    /// <summary>Incidents of the scope's tenants, and platform-level incidents (no tenant) that affect one of them.</summary>
    private static void AppendIncidentScope(ClickHouseQuery query, TenantScope scope)
    {
        if (scope.Tenants is { } tenants)
        {
            query.Append(" AND (has({scope}, tenant) OR (tenant = '' AND hasAny(tenants, {scope})))").Set("scope", tenants);
        }
    }

    /// <summary>A diagnosis is visible when its incident is.</summary>
    private void AppendDiagnosisScope(ClickHouseQuery query, TenantScope scope)
    {
        if (scope.Tenants is { } tenants)
        {
            query.Append($" AND incident_id IN (SELECT incident_id FROM {database}.incidents FINAL WHERE has({{scope}}, tenant) OR (tenant = '' AND hasAny(tenants, {{scope}})))")
                .Set("scope", tenants);
        }
    }

    private static void Equal(ClickHouseQuery query, string column, string? value)
    {
        if (value is not null)
        {
            query.Append($" AND {column} = {{{column}}}").Set(column, value);
        }
    }

    private static IncidentSummary Summary(ClickHouseRow row, TenantScope scope)
    {
        var tenant = row.Get<string>("tenant");
        var tenants = ((object?[])row["tenants"]!).Select(t => (string)t!).Where(scope.Allows).ToList();
        var resolved = row["resolved_at"] is DateTime at ? new DateTimeOffset(at) : (DateTimeOffset?)null;
        var subject = new ObjectRefView(
            row.Get<string>("cluster"), tenant, Lower(row.Get<string>("subject_layer")), row.Get<string>("api_version"), row.Get<string>("kind"),
            row.Get<string>("namespace"), row.Get<string>("name"), row.Get<string>("uid"), row.Get<string>("host_cluster"), row.Get<string>("host_namespace"));
        return new IncidentSummary(
            row.Get<string>("incident_id"), tenant, tenants, row.Get<string>("title"), row.Get<string>("summary"), row.Get<string>("category"),
            Lower(row.Get<string>("layer")), Lower(row.Get<string>("severity")), Lower(row.Get<string>("status")), subject,
            row.Get<DateTimeOffset>("opened_at"), row.Get<DateTimeOffset>("ts"), resolved, (long)row.Get<ulong>("version"), row.Get<long>("signal_count"));
    }

    private static string Lower(string value) => value.ToLowerInvariant();
}
