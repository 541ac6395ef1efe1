using ChasiSre.Platform.ClickHouse;
using ChasiSre.Schemas.V1;
using Microsoft.Extensions.Options;

namespace ChasiSre.Api;

/// <summary>
/// Reads actions from the <c>actions</c> table the sink writes (one row per <c>ActionRecord</c> of
/// <c>chasi.actions.v1</c>, read with <c>FINAL</c> so a replayed record counts once). An action's latest state is the
/// executor's step with the highest sequence (<c>argMaxIf</c> by sequence, then time, over sequence &gt; 0): people's
/// requests (sequence 0) do not move it, and an action the executor never wrote a step of does not exist. Its tenant,
/// incident and action name are the ones its records named, so records that leave them out (requests, later steps)
/// still match the filters. A scoped caller sees the actions of its tenants, and platform actions (no tenant) of the
/// incidents it sees.
/// </summary>
internal sealed class ActionStore(IClickHouseStore store, IOptions<ClickHouseOptions> clickHouse)
{
    private const string Sequence = "JSONExtractInt(payload, 'sequence')";

    private readonly string database = clickHouse.Value.Database;

    /// <summary>A page of actions; <paramref name="overlay"/> adds what is published but not stored yet to each trail.</summary>
    public async Task<ActionPage> ListAsync(ActionFilter filter, TenantScope scope, Func<ActionTrail, ActionTrail>? overlay = null, CancellationToken cancellationToken = default)
    {
        var query = new ClickHouseQuery().Append(
            "SELECT action_id, min(ts) AS created_at, anyIf(tenant, tenant != '') AS action_tenant, anyIf(incident_id, incident_id != '') AS action_incident, " +
            $"anyIf(action_type, action_type != '') AS action_name, argMaxIf(phase, ({Sequence}, ts), {Sequence} > 0) AS latest_phase " +
            $"FROM {database}.actions FINAL GROUP BY action_id HAVING max({Sequence}) > 0");
        AppendScope(query, scope);
        if (filter.Tenant is not null)
        {
            query.Append(" AND action_tenant = {tenant}").Set("tenant", filter.Tenant);
        }

        if (filter.IncidentId is not null)
        {
            query.Append(" AND action_incident = {incident}").Set("incident", filter.IncidentId);
        }

        if (filter.Action is not null)
        {
            query.Append(" AND action_name = {action}").Set("action", filter.Action);
        }

        if (filter.Phase is not null)
        {
            query.Append(" AND latest_phase = {phase}").Set("phase", filter.Phase);
        }

        if (filter.Cursor is { } cursor)
        {
            query.Append(" AND (created_at, action_id) < ({cursor_at}, {cursor_id})").Set("cursor_at", cursor.At).Set("cursor_id", cursor.Id);
        }

        query.Append(" ORDER BY created_at DESC, action_id DESC LIMIT {limit}").Set("limit", filter.Limit + 1L);
        var rows = await store.QueryAsync(query.Render(), cancellationToken);
        var ids = rows.Take(filter.Limit).Select(r => r.Get<string>("action_id")).ToList();
        if (ids.Count == 0)
        {
            return new ActionPage([], null);
        }

        var steps = await StepsAsync(q => q.Append("has({ids}, action_id)").Set("ids", ids), cancellationToken);
        var items = ids.Where(id => steps.TryGetValue(id, out var t) && t.HasSteps).Select(id => ActionViews.Summary(overlay is null ? steps[id] : overlay(steps[id]))).ToList();
        var next = rows.Count > filter.Limit ? new PageCursor(rows[filter.Limit - 1].Get<DateTimeOffset>("created_at"), ids[^1]).Encode() : null;
        return new ActionPage(items, next);
    }

    /// <summary>Every stored record of the action, or null when the executor wrote no step of it or it is outside <paramref name="scope"/>.</summary>
    public async Task<ActionTrail?> GetAsync(string actionId, TenantScope scope, CancellationToken cancellationToken = default)
    {
        var steps = await StepsAsync(q => q.Append("action_id = {id}").Set("id", actionId), cancellationToken);
        if (!steps.TryGetValue(actionId, out var trail) || !trail.HasSteps)
        {
            return null;
        }

        if (scope.IsAll || (trail.Tenant.Length > 0 && scope.Allows(trail.Tenant)))
        {
            return trail;
        }

        if (trail.Tenant.Length > 0 || trail.IncidentId.Length == 0)
        {
            return null;
        }

        var visible = new ClickHouseQuery()
            .Append($"SELECT count() AS n FROM {database}.incidents FINAL WHERE incident_id = {{id}} AND (has({{scope}}, tenant) OR (tenant = '' AND hasAny(tenants, {{scope}})))")
            .Set("id", trail.IncidentId)
            .Set("scope", scope.Tenants!);
        var count = await store.QueryAsync(visible.Render(), cancellationToken);
        return count[0].Get<ulong>("n") > 0 ? trail : null;
    }

    /// <summary>The records (steps and requests) of the actions <paramref name="where"/> selects (it appends a condition and its parameters), by action.</summary>
    private async Task<Dictionary<string, ActionTrail>> StepsAsync(Action<ClickHouseQuery> where, CancellationToken cancellationToken)
    {
        var query = new ClickHouseQuery().Append($"SELECT action_id, ts, payload FROM {database}.actions FINAL WHERE ");
        where(query);
        query.Append($" ORDER BY action_id, {Sequence}, ts");
        var rows = await store.QueryAsync(query.Render(), cancellationToken);
        return rows
            .GroupBy(r => r.Get<string>("action_id"), StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => new ActionTrail(g.Key, g.Select(r => (ProtoViews.Parser.Parse<ActionRecord>(r.Get<string>("payload")), r.Get<DateTimeOffset>("ts")))),
                StringComparer.Ordinal);
    }

    /// <summary>Actions of the scope's tenants, and platform actions (no tenant) of incidents the scope sees.</summary>
    private void AppendScope(ClickHouseQuery query, TenantScope scope)
    {
        if (scope.Tenants is { } tenants)
        {
            query.Append(
                $" AND (has({{scope}}, action_tenant) OR (action_tenant = '' AND action_incident IN (SELECT incident_id FROM {database}.incidents FINAL " +
                "WHERE has({scope}, tenant) OR (tenant = '' AND hasAny(tenants, {scope})))))")
                .Set("scope", tenants);
        }
    }
}
