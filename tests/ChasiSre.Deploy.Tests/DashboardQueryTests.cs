using System.Text.Json.Nodes;

namespace ChasiSre.Deploy.Tests;

/// <summary>
/// Every panel query of every dashboard in deploy/grafana/dashboards, with Grafana's variables and the ClickHouse
/// plugin's macros expanded, runs against chDB holding a real scenario run; the panels that show what the pipeline
/// produces return rows. A column a dashboard names that the migrations do not create fails here.
/// </summary>
public sealed class DashboardQueryTests(ScenarioStoreFixture store) : IClassFixture<ScenarioStoreFixture>
{
    /// <summary>Panels that must show data after a scenario run. Actions have no producer yet (the executor).</summary>
    private static readonly HashSet<string> KeyPanels =
    [
        "Incidents opened by tenant", "Incidents opened by layer", "Incidents opened by category", "Open incidents by severity",
        "Open incidents", "Detector signal rate", "Signals by detector and reason", "Pipeline lag per topic (p99, event time to ClickHouse)",
        "Rows written per topic", "Warning events by reason", "Diagnoses by engine", "LLM calls per diagnosis", "Diagnosis confidence",
        "Time to diagnosis (p50, p90)",
    ];

    public static TheoryData<string> Dashboards => new(DashboardFiles());

    private static IEnumerable<string> DashboardFiles() =>
        Directory.GetFiles(RepositoryLayout.Dashboards, "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(Dashboards))]
    public async Task Panels_AllTenants_EveryQueryRunsAndKeyPanelsReturnRows(string dashboard)
    {
        var ct = TestContext.Current.CancellationToken;
        var macros = await MacrosAsync(GrafanaVariable.All("'__all'"), ct);

        var empty = new List<string>();
        foreach (var (title, sql) in Queries(dashboard))
        {
            var rows = await RunAsync(dashboard, title, macros.Expand(sql), ct);
            if (rows == 0 && KeyPanels.Contains(title))
            {
                empty.Add(title);
            }
        }

        Assert.True(empty.Count == 0, $"{dashboard}: key panels without rows: {string.Join(", ", empty)}");
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public async Task Panels_OneTenant_EveryQueryRunsAndShowsOnlyThatTenant(string dashboard)
    {
        var ct = TestContext.Current.CancellationToken;
        var tenants = await store.Store.QueryAsync($"SELECT DISTINCT tenant FROM {store.Database}.incidents FINAL WHERE tenant != '' ORDER BY tenant", ct);
        Assert.True(tenants.Count >= 2, "the scenarios store incidents of several tenants");
        var tenant = (string)tenants[0][0]!;
        var macros = await MacrosAsync(GrafanaVariable.Single(tenant), ct);

        foreach (var (title, sql) in Queries(dashboard))
        {
            var expanded = macros.Expand(sql);
            await RunAsync(dashboard, title, expanded, ct);
            if (title.StartsWith("Incidents opened by tenant", StringComparison.Ordinal))
            {
                var shown = await store.Store.QueryAsync($"SELECT DISTINCT tenant FROM ({expanded})", ct);
                Assert.Equal([tenant], shown.Select(r => (string)r[0]!));
            }
        }
    }

    [Fact]
    public void Dashboards_EveryTarget_UsesTheDatasourceVariableAndTheTimeFilter()
    {
        foreach (var file in DashboardFiles())
        {
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryLayout.Dashboards, file)))!;
            var variables = json["templating"]!["list"]!.AsArray().Select(v => (string)v!["name"]!).ToList();
            Assert.Equal(["datasource", "database", "tenant", "cluster"], variables);
            foreach (var panel in json["panels"]!.AsArray().Where(p => p!["targets"] is not null))
            {
                Assert.Equal("${datasource}", (string?)panel!["datasource"]!["uid"]);
                foreach (var target in panel["targets"]!.AsArray())
                {
                    Assert.Equal("grafana-clickhouse-datasource", (string?)target!["datasource"]!["type"]);
                    var sql = (string)target["rawSql"]!;
                    Assert.Contains("$__timeFilter(", sql, StringComparison.Ordinal);
                    Assert.Contains("${tenant:singlequote}", sql, StringComparison.Ordinal);
                }
            }
        }
    }

    private async Task<int> RunAsync(string dashboard, string title, string sql, CancellationToken ct)
    {
        try
        {
            return (await store.Store.QueryAsync(sql, ct)).Count;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Assert.Fail($"{dashboard} / {title}: {e.Message}\n{sql}");
            throw;
        }
    }

    /// <summary>A dashboard-like range around the stored data: from a day before the first incident (scenario clocks
    /// lie in the past) to an hour from now (ingested_at is the insert time), about 1000 points.</summary>
    private async Task<GrafanaMacros> MacrosAsync(GrafanaVariable tenant, CancellationToken ct)
    {
        var first = await store.Store.QueryAsync($"SELECT toUnixTimestamp(min(opened_at)) AS t FROM {store.Database}.incidents", ct);
        var from = DateTimeOffset.FromUnixTimeSeconds(first[0].Get<long>("t")).AddDays(-1);
        var to = DateTimeOffset.UtcNow.AddHours(1);
        var interval = TimeSpan.FromSeconds(Math.Max(1, (to - from).TotalSeconds / 1000));
        return new GrafanaMacros(from, to, interval, new Dictionary<string, GrafanaVariable>
        {
            ["database"] = GrafanaVariable.Single(store.Database),
            ["tenant"] = tenant,
            ["cluster"] = GrafanaVariable.All("'__all'"),
        });
    }

    private static IEnumerable<(string Title, string Sql)> Queries(string dashboard)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryLayout.Dashboards, dashboard)))!;
        var variableQueries = json["templating"]!["list"]!.AsArray()
            .Where(v => (string?)v!["type"] == "query")
            .Select(v => ($"variable {v!["name"]}", (string)v["query"]!));
        var panels = json["panels"]!.AsArray()
            .Where(p => p!["targets"] is not null)
            .SelectMany(p => p!["targets"]!.AsArray().Select(t => ((string)p["title"]!, (string)t!["rawSql"]!)));
        return variableQueries.Concat(panels);
    }
}
