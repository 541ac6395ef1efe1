using ChasiSre.Schemas.V1;

namespace ChasiSre.Diagnosis.Evidence.Tests;

/// <summary>The source against rows the real ClickHouse sink wrote to chDB (see <see cref="SinkWrittenStore"/>).</summary>
public sealed class ClickHouseEvidenceSourceTests(SinkWrittenStore store)
{
    [Fact]
    public async Task LoadAsync_SinkWrittenRows_LatestSnapshotAsOfTheIncidentPerRelatedObject()
    {
        var inputs = await store.Source().LoadAsync(store.Incident(), TestContext.Current.CancellationToken);

        var loaded = inputs.Objects.Select(o => (o.Ref.Cluster, o.Ref.Kind, o.Ref.Name, o.ResourceVersion)).Order().ToList();
        Assert.Equal(
            [
                ("host", "Node", "worker-1", "500"),
                ("host", "Pod", Pipeline.TwinName, "131"),
                (Pipeline.VCluster, "Deployment", "checkout", "120"),
                (Pipeline.VCluster, "Pod", Pipeline.PodName, "130"),
                (Pipeline.VCluster, "Secret", "db-creds", "90"),
            ],
            loaded);
        var pod = inputs.Objects.Single(o => o.Ref.Kind == "Pod" && o.Ref.Cluster == Pipeline.VCluster);
        Assert.Equal((Pipeline.Tenant, Layer.Virtual, "host", Pipeline.HostNamespace), (pod.Ref.Tenant, pod.Ref.Layer, pod.Ref.HostCluster, pod.Ref.HostNamespace));
        Assert.Equal(("host", Pipeline.HostNamespace, Pipeline.TwinName, Layer.Host), (pod.Ref.Twin.Cluster, pod.Ref.Twin.Namespace, pod.Ref.Twin.Name, pod.Ref.Twin.Layer));
        Assert.Equal("checkout", pod.Labels["app"]);
        Assert.Contains("\"restartCount\":5", pod.ObjectJson.ToStringUtf8(), StringComparison.Ordinal);
        Assert.Equal(Pipeline.Time(250).ToDateTimeOffset() + store.Shift, pod.ObservedAt.ToDateTimeOffset());
    }

    [Fact]
    public async Task LoadAsync_SinkWrittenRows_EventsLogsAndSignalsOfTheIncidentOnly()
    {
        var inputs = await store.Source().LoadAsync(store.Incident(), TestContext.Current.CancellationToken);

        // Both observations of the BackOff event; not the day-old one nor the other tenant's.
        Assert.Equal(["ev-backoff", "ev-backoff", "ev-pulled", "ev-started"], inputs.Events.Select(e => e.Event.Uid).Order(StringComparer.Ordinal));
        Assert.Equal([5, 12], inputs.Events.Where(e => e.Event.Uid == "ev-backoff").Select(e => e.Count).Order());
        Assert.Equal(["log-cur-1", "log-cur-2", "log-cur-3", "log-prev-1", "log-prev-2", "log-prev-3"], inputs.Logs.Select(l => l.Id).Order(StringComparer.Ordinal));
        var fatal = inputs.Logs.Single(l => l.Id == "log-prev-3");
        Assert.Equal((LogLevel.Fatal, true, "app", Pipeline.PodName, Pipeline.Tenant), (fatal.Level, fatal.Previous, fatal.Container, fatal.Source.Name, fatal.Source.Tenant));
        Assert.Equal(["sig-crash", "sig-mem"], inputs.Signals.Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.Equal("working set 510 MB, 4x its baseline", inputs.Signals.Single(s => s.Id == "sig-mem").Message);
        Assert.Empty(inputs.Knowledge);
    }

    [Fact]
    public async Task LoadAsync_AnotherTenantsVClusterWithTheSameNames_NeverReturned()
    {
        var inputs = await store.Source().LoadAsync(store.Incident(), TestContext.Current.CancellationToken);

        Assert.DoesNotContain(inputs.Objects, o => o.Ref.Tenant == SinkWrittenStore.OtherTenant || o.Ref.HostNamespace == SinkWrittenStore.OtherHostNamespace);
        Assert.DoesNotContain(inputs.Events, e => e.Involved.Tenant == SinkWrittenStore.OtherTenant);
        Assert.DoesNotContain(inputs.Logs, l => l.Source.Tenant == SinkWrittenStore.OtherTenant);
        Assert.DoesNotContain(inputs.Signals, s => s.Subject.Tenant == SinkWrittenStore.OtherTenant);
    }

    [Fact]
    public async Task LoadAsync_AffectedObjectOfATenantTheIncidentDoesNotName_NotLoaded()
    {
        // A corrupted incident names team-b's pod among its affected objects but only team-a as its tenant.
        var incident = store.Incident(i => i.Affected.Add(Pipeline.Pod(tenant: SinkWrittenStore.OtherTenant, hostNamespace: SinkWrittenStore.OtherHostNamespace)));

        var inputs = await store.Source().LoadAsync(incident, TestContext.Current.CancellationToken);

        Assert.DoesNotContain(inputs.Objects, o => o.Ref.Tenant == SinkWrittenStore.OtherTenant);
        Assert.Equal(5, inputs.Objects.Count);
    }

    [Fact]
    public async Task LoadAsync_NameWithQuoteAndBackslash_MatchesExactlyThatObject()
    {
        var incident = store.Incident(i =>
        {
            i.Subject = Pipeline.Virtual("ConfigMap", SinkWrittenStore.QuotedName);
            i.Affected.Clear();
            i.Signals.Clear();
        });

        var inputs = await store.Source().LoadAsync(incident, TestContext.Current.CancellationToken);

        var configMap = Assert.Single(inputs.Objects);
        Assert.Equal(SinkWrittenStore.QuotedName, configMap.Ref.Name);
        var pack = new EvidencePackBuilder(new EvidencePackOptions()).Build(incident, inputs);
        Assert.Contains($"[obj:1] team-a/ConfigMap shop/{SinkWrittenStore.QuotedName} (subject", pack.Text, StringComparison.Ordinal);
        Assert.Contains("keys=[quote'key]", pack.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x' OR '1'='1")]
    [InlineData(@"x\' OR 1=1 OR name='")]
    [InlineData("x') OR (1=1")]
    public async Task LoadAsync_NameCraftedAsSql_MatchesNothing(string name)
    {
        var incident = store.Incident(i =>
        {
            i.Subject = Pipeline.Virtual("Pod", name);
            i.Affected.Clear();
            i.Signals.Clear();
        });

        var inputs = await store.Source().LoadAsync(incident, TestContext.Current.CancellationToken);

        Assert.Empty(inputs.Objects);
        Assert.Empty(inputs.Events);
        Assert.Empty(inputs.Logs);
        Assert.Empty(inputs.Signals);
    }

    [Fact]
    public async Task LoadAsync_PlatformIncidentWithoutTenants_LoadsPlatformObjectsOnly()
    {
        var node = Pipeline.Node();
        var incident = store.Incident(i =>
        {
            i.Tenant = "";
            i.Tenants.Clear();
            i.Subject = node;
            i.Layer = Layer.Host;
            i.Signals.Clear();
        });

        var inputs = await store.Source().LoadAsync(incident, TestContext.Current.CancellationToken);

        var loaded = Assert.Single(inputs.Objects);
        Assert.Equal(("Node", "worker-1", ""), (loaded.Ref.Kind, loaded.Ref.Name, loaded.Ref.Tenant));
        Assert.Empty(inputs.Logs);
    }

    [Fact]
    public async Task LoadAsync_WindowClosingAtOpening_StateAsOfThenAndNothingLater()
    {
        // The incident opened and was last updated at t=60, no margin: a replay of that moment.
        var options = new ClickHouseEvidenceSourceOptions { WindowBefore = TimeSpan.Zero, WindowAfter = TimeSpan.Zero };
        var incident = store.Incident(i => i.UpdatedAt = i.OpenedAt);

        var inputs = await store.Source(options).LoadAsync(incident, TestContext.Current.CancellationToken);

        // Only the Deployment had been observed by t=60, at its first version.
        Assert.Equal([("Deployment", "100")], inputs.Objects.Select(o => (o.Ref.Kind, o.ResourceVersion)));
        // Events whose span [first, last] covers t=60; the day-old one does not.
        Assert.Equal(["ev-backoff", "ev-backoff", "ev-pulled", "ev-started"], inputs.Events.Select(e => e.Event.Uid).Order(StringComparer.Ordinal));
        // Log lines are instants: none at t=60.
        Assert.Empty(inputs.Logs);
    }

    [Fact]
    public async Task LoadAsync_ThenBuild_PackCarriesTheFactsWithinTheBudget()
    {
        var incident = store.Incident();
        var inputs = await store.Source().LoadAsync(incident, TestContext.Current.CancellationToken);

        var pack = new EvidencePackBuilder(new EvidencePackOptions()).Build(incident, inputs);

        Assert.InRange(pack.Tokens, 1, EvidencePackOptions.DefaultMaxTokens);
        Assert.Contains("FATAL config: environment variable DEPLOY_ENV is not set", pack.Text, StringComparison.Ordinal);
        Assert.Contains("[ev:1] Warning BackOff x12", pack.Text, StringComparison.Ordinal);
        Assert.Contains("restarts=5", pack.Text, StringComparison.Ordinal);
        Assert.Contains("type=Opaque keys=[password, username]", pack.Text, StringComparison.Ordinal);
        Assert.Contains("anomaly.memory score 0.83", pack.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("team-b", pack.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", pack.Text, StringComparison.Ordinal);
        Assert.Equal(0, pack.OutOfScope);
    }
}
