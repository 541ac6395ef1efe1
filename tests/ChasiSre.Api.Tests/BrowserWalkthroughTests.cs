using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ChasiSre.Executor;
using ChasiSre.Ingest.Simulator;
using ChasiSre.Platform.ClickHouse;
using ChasiSre.Platform.Kafka;
using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Api.Tests;

/// <summary>
/// The web view end to end in headless Chromium (Debian's, installed by <c>eng/fetch-browser.sh</c> when missing) driven
/// by playwright-core (npm, pinned and verified): the real API on Kestrel over chDB, fed by the real
/// <see cref="ClickHouseSink"/> from an embedded Kafka cluster of its own, and the real executor
/// (<see cref="ExecutorService"/> with the default policy) acting on an apiserver simulator that holds the tenant's
/// Deployments. A diagnosis proposes three restarts the policy sends to approval; an approval in the page is a request
/// that travels API → Kafka → executor, whose answer (APPROVED by the person, EXECUTING, SUCCEEDED, and the restart on
/// the Deployment) travels Kafka → sink → ClickHouse → API → page. Screenshots of every step land under the test's
/// output (<c>artifacts/ui-walkthrough/&lt;time&gt;</c>, named in the test log).
/// </summary>
public sealed class BrowserWalkthroughTests(ApiFixture fixture)
{
    /// <summary>A diagnosis and a diff carrying markup and a handler: the page must show it as text.</summary>
    private const string Hostile = "<img src=x onerror=\"window.__xss=1\">";

    private const string IncidentId = "inc-ui-crashloop";
    private const string Cluster = "vc-a";
    private const string Namespace = "shop";

    /// <summary>What the Deployments' pod templates say before a restart.</summary>
    private const string RestartedBefore = "2026-01-01T00:00:00Z";

    /// <summary>One action per remediation of the diagnosis (revision 2): restart web-0, web-1, web-2.</summary>
    private static readonly string ApproveId = ActionIds.ForKey(ActionIds.IdempotencyKey(IncidentId, 2, "restart-0"));
    private static readonly string RejectId = ActionIds.ForKey(ActionIds.IdempotencyKey(IncidentId, 2, "restart-1"));
    private static readonly string StaysPendingId = ActionIds.ForKey(ActionIds.IdempotencyKey(IncidentId, 2, "restart-2"));

    private static readonly string ApproverToken = ApiTokenHasher.NewToken();
    private static readonly string ViewerToken = ApiTokenHasher.NewToken();

    [Fact]
    public async Task Walkthrough_ApproverApprovesAndRejects_AuditTrailShowsBothDecisions()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper!;
        var (chromium, playwright) = await FetchBrowserAsync(ct);

        using var kafka = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { Brokers = 1, PartitionsOverride = 3, ReplicationFactor = 1 });
        kafka.CreateCatalogTopics();
        var kafkaOptions = new KafkaOptions { BootstrapServers = kafka.BootstrapServers, Linger = TimeSpan.FromMilliseconds(1) };
        foreach (var (key, value) in EmbeddedKafkaCluster.ConsumerProperties)
        {
            kafkaOptions.ConsumerProperties[key] = value;
        }

        var factory = new KafkaClientFactory(Options.Create(kafkaOptions), NullLoggerFactory.Instance);
        var clickHouse = new ClickHouseOptions { Backend = ClickHouseBackend.Embedded, EmbeddedDataPath = fixture.DataPath, Database = $"ui_{Guid.NewGuid():N}" };
        await new ClickHouseSchemaMigrator(fixture.Store, Options.Create(clickHouse), TimeProvider.System, NullLogger<ClickHouseSchemaMigrator>.Instance).MigrateAsync(ct);
        var sink = new ClickHouseSink(
            factory,
            fixture.Store,
            Options.Create(new ClickHouseSinkOptions { GroupId = $"ui-sink-{Guid.NewGuid():N}", MaxBatchDelay = TimeSpan.FromMilliseconds(50) }),
            Options.Create(clickHouse),
            TimeProvider.System,
            NullLoggerFactory.Instance);
        await using var vcluster = await ApiServerSimulator.StartAsync(new ApiServerSimulatorOptions { ClusterName = Cluster }, ct);
        for (var n = 0; n < 3; n++)
        {
            vcluster.Apply(Deployment($"web-{n}"));
        }

        var directory = Directory.CreateTempSubdirectory("chasi-ui-executor-").FullName;
        var executorOptions = Options.Create(new ExecutorOptions
        {
            Kubeconfig = vcluster.WriteKubeconfig(Path.Combine(directory, "executor-kubeconfig")),
            Clusters = { [Cluster] = Cluster },
            VerificationWindow = TimeSpan.FromHours(1),
            DeadlineCheckInterval = TimeSpan.FromSeconds(1),
            IncidentWait = TimeSpan.FromSeconds(30),
            RequestTimeout = TimeSpan.FromSeconds(20),
            GroupId = $"ui-executor-{Guid.NewGuid():N}",
            Instance = "ui-tests",
        });
        using var audit = factory.CreateProducer<ActionRecord>(TopicCatalog.Components.Executor);
        using var clusters = new KubernetesClusters(executorOptions);
        using var executor = new ActionExecutor(ActionPolicy.Default, clusters, new KafkaActionRecordSink(audit), executorOptions, TimeProvider.System);
        using var executorService = new ExecutorService(factory, executor, executorOptions, TimeProvider.System);
        using var stopSink = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sinking = sink.RunAsync(stopSink.Token);
        await executorService.StartAsync(ct);
        try
        {
            await executorService.Ready.WaitAsync(TimeSpan.FromSeconds(60), ct);
            var produced = await SeedAsync(factory, ct);
            await WaitAsync(() => sink.Handled >= produced, sinking, "the sink to store the seed records", ct);

            await using var host = await ApiHost.StartAsync(fixture, ct, Tokens(), clickHouse.Database, factory);
            using var client = host.Client(ApproverToken);
            await WaitForPendingAsync(client, sinking, ct);
            var screenshots = Path.Combine(AppContext.BaseDirectory, "artifacts", "ui-walkthrough", TimeProvider.System.GetUtcNow().ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture));
            Directory.CreateDirectory(screenshots);
            output.WriteLine($"screenshots: {screenshots}");

            var (exit, stdout, stderr) = await RunNodeAsync(chromium, playwright, host.Address, screenshots, ct);
            output.WriteLine(stdout);
            Assert.True(exit == 0, $"the walkthrough failed (exit {exit}): {stderr}\n{stdout}\nscreenshots: {screenshots}");
            Assert.Contains("\"done\":true", stdout, StringComparison.Ordinal);
            Assert.True(Directory.GetFiles(screenshots, "*.png").Length >= 10, "a screenshot per step");

            var approved = await Http.JsonAsync(await client.GetAsync($"api/v1/actions/{ApproveId}", ct), HttpStatusCode.OK, ct);
            var rejected = await Http.JsonAsync(await client.GetAsync($"api/v1/actions/{RejectId}", ct), HttpStatusCode.OK, ct);
            var pending = await Http.JsonAsync(await client.GetAsync("api/v1/actions?phase=pending_approval", ct), HttpStatusCode.OK, ct);
            Assert.Equal(
            [
                ("step", 1, "proposed", "executor"), ("step", 2, "pending_approval", "executor"), ("request", 0, "approved", "user:ui-approver"),
                ("step", 3, "approved", "user:ui-approver"), ("step", 4, "executing", "executor"), ("step", 5, "succeeded", "executor"),
            ], Trail(approved));
            Assert.Equal(
            [
                ("step", 1, "proposed", "executor"), ("step", 2, "pending_approval", "executor"), ("request", 0, "rejected", "user:ui-approver"),
                ("step", 3, "rejected", "user:ui-approver"),
            ], Trail(rejected));
            Assert.Equal([StaysPendingId], Http.Ids(pending));

            // The executor restarted the approved Deployment with its own credentials, and left the others alone.
            Assert.NotEqual(RestartedBefore, RestartedAt(vcluster, "web-0"));
            Assert.Equal(RestartedBefore, RestartedAt(vcluster, "web-1"));
            Assert.Equal(RestartedBefore, RestartedAt(vcluster, "web-2"));
        }
        finally
        {
            await executorService.StopAsync(CancellationToken.None);
            await stopSink.CancelAsync();
            await sinking.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
            await fixture.Store.ExecuteAsync($"DROP DATABASE IF EXISTS {clickHouse.Database} SYNC", CancellationToken.None);
            Directory.Delete(directory, recursive: true);
        }
    }

    private static List<(string?, int, string?, string?)> Trail(System.Text.Json.JsonElement detail) =>
    [
        .. detail.GetProperty("trail").EnumerateArray().Select(s => (
            s.GetProperty("kind").GetString(), s.GetProperty("sequence").GetInt32(), s.GetProperty("phase").GetString(), s.GetProperty("actor").GetString())),
    ];

    private static string? RestartedAt(ApiServerSimulator cluster, string name) =>
        (string?)cluster.Get("apps/v1", "Deployment", Namespace, name)!["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"];

    private static JsonObject Deployment(string name) => JsonNode.Parse("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"NAME","namespace":"NS"},
         "spec":{"replicas":2,"selector":{"matchLabels":{"app":"NAME"}},
           "template":{"metadata":{"labels":{"app":"NAME"},"annotations":{"kubectl.kubernetes.io/restartedAt":"BEFORE"}},
             "spec":{"containers":[{"name":"app","image":"shop/web:1.4"}]}}},
         "status":{"replicas":2,"readyReplicas":2}}
        """.Replace("NAME", name, StringComparison.Ordinal).Replace("NS", Namespace, StringComparison.Ordinal).Replace("BEFORE", RestartedBefore, StringComparison.Ordinal))!.AsObject();

    /// <summary>Waits until the executor proposed the three restarts, the policy sent them to approval and the sink stored it.</summary>
    private static async Task WaitForPendingAsync(HttpClient client, Task sinking, CancellationToken cancellationToken)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(90);
        IReadOnlyList<string?> ids = [];
        while (TimeProvider.System.GetUtcNow() < deadline && !sinking.IsCompleted)
        {
            var page = await Http.JsonAsync(await client.GetAsync($"api/v1/actions?incident={IncidentId}", cancellationToken), HttpStatusCode.OK, cancellationToken);
            var phases = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("phase").GetString()).ToList();
            ids = Http.Ids(page);
            if (phases.Count == 3 && phases.All(p => p == "pending_approval"))
            {
                return;
            }

            if (phases.Any(p => p is "denied" or "failed"))
            {
                throw new InvalidOperationException($"the executor did not send the restarts to approval: {page}");
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"the three restarts did not reach pending_approval in the store within 90 s (seen: {string.Join(", ", ids)})");
    }

    private static (string?, string?, int) LastStep(System.Text.Json.JsonElement detail)
    {
        var step = detail.GetProperty("trail").EnumerateArray().Last();
        return (step.GetProperty("phase").GetString(), step.GetProperty("actor").GetString(), step.GetProperty("sequence").GetInt32());
    }

    private static Dictionary<string, string?> Tokens() => new(StringComparer.Ordinal)
    {
        ["Api:Tokens:5:Name"] = "ui-approver",
        ["Api:Tokens:5:Sha256"] = ApiTokenHasher.Hash(ApproverToken),
        ["Api:Tokens:5:Tenants:0"] = "team-a",
        ["Api:Tokens:5:Tenants:1"] = "team-b",
        ["Api:Tokens:5:Roles:0"] = "approver",
        ["Api:Tokens:6:Name"] = "ui-viewer",
        ["Api:Tokens:6:Sha256"] = ApiTokenHasher.Hash(ViewerToken),
        ["Api:Tokens:6:Tenants:0"] = "*",
    };

    /// <summary>
    /// Incidents of two tenants in two layers and a diagnosis with hostile text proposing three restarts (one per
    /// Deployment), which the default policy sends to approval: the executor turns them into the pending actions.
    /// </summary>
    private static async Task<int> SeedAsync(KafkaClientFactory factory, CancellationToken cancellationToken)
    {
        var t0 = DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().AddHours(-1).ToUnixTimeSeconds());
        var incidents = SeedData.Incidents(t0).Where(i => i.Id is SeedData.B1 or SeedData.H1).Select(i => i.Clone()).ToList();
        var crashloop = SeedData.Incidents(t0).Last(i => i.Id == SeedData.A1).Clone();
        crashloop.Id = IncidentId;
        crashloop.Title = "web crashloops";
        crashloop.Subject = SeedData.Virtual("team-a", Cluster, "apps/v1", "Deployment", Namespace, "web-0");
        crashloop.Affected.Clear();
        for (var n = 0; n < 3; n++)
        {
            crashloop.Affected.Add(SeedData.Virtual("team-a", Cluster, "apps/v1", "Deployment", Namespace, $"web-{n}"));
        }

        incidents.Add(crashloop);
        var diagnosis = SeedData.Diagnoses(t0).Last(d => d.IncidentId == SeedData.A1).Clone();
        diagnosis.IncidentId = IncidentId;
        diagnosis.RootCause = $"the log says {Hostile} then exits";
        diagnosis.Explanation = $"model output: {Hostile}";
        diagnosis.Evidence[0].Summary = $"log line {Hostile}";
        diagnosis.Remediations.Clear();
        for (var n = 0; n < 3; n++)
        {
            diagnosis.Remediations.Add(new Remediation
            {
                Id = $"restart-{n}",
                Title = $"restart web-{n} {Hostile}",
                Description = "picks up the fixed env",
                Action = RemediationCatalog.RolloutRestart,
                Target = SeedData.Virtual("team-a", Cluster, "apps/v1", "Deployment", Namespace, $"web-{n}"),
                Risk = Risk.Medium,
            });
        }

        using (var producer = factory.CreateProducer<Incident>("ui-tests"))
        {
            foreach (var incident in incidents)
            {
                await producer.ProduceAsync(TopicCatalog.Incidents, incident.Id, incident, cancellationToken);
            }
        }

        using (var producer = factory.CreateProducer<Schemas.V1.Diagnosis>("ui-tests"))
        {
            await producer.ProduceAsync(TopicCatalog.Diagnoses, diagnosis.IncidentId, diagnosis, cancellationToken);
        }

        return incidents.Count + 1;
    }

    private static async Task WaitAsync(Func<bool> done, Task sinking, string what, CancellationToken cancellationToken)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(90);
        while (!done())
        {
            if (sinking.IsCompleted)
            {
                throw new InvalidOperationException($"the sink stopped while waiting for {what}", sinking.Exception?.GetBaseException());
            }

            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"waited 90 s for {what}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Chromium and playwright-core from <c>eng/fetch-browser.sh</c>; a skip (with its reason) only when apt cannot install Chromium.</summary>
    private static async Task<(string Chromium, string Playwright)> FetchBrowserAsync(CancellationToken cancellationToken)
    {
        var script = Path.Combine(RepositoryRoot(), "eng", "fetch-browser.sh");
        var (exit, stdout, stderr) = await RunAsync(new ProcessStartInfo("bash") { ArgumentList = { script } }, TimeSpan.FromMinutes(10), cancellationToken);
        if (exit == 3)
        {
            Assert.Skip($"headless Chromium is not available and apt cannot install it: {stderr.Trim()}");
        }

        Assert.True(exit == 0, $"eng/fetch-browser.sh failed (exit {exit}): {stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        return (lines[0], lines[1]);
    }

    private static Task<(int, string, string)> RunNodeAsync(string chromium, string playwright, Uri address, string screenshots, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("node") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Browser", "ui-walkthrough.mjs") } };
        start.Environment["PLAYWRIGHT_CORE"] = playwright;
        start.Environment["CHROMIUM"] = chromium;
        start.Environment["BASE_URL"] = address.ToString();
        start.Environment["APPROVER_TOKEN"] = ApproverToken;
        start.Environment["VIEWER_TOKEN"] = ViewerToken;
        start.Environment["APPROVE_ID"] = ApproveId;
        start.Environment["REJECT_ID"] = RejectId;
        start.Environment["PENDING_ID"] = StaysPendingId;
        start.Environment["XSS_INCIDENT"] = IncidentId;
        start.Environment["XSS"] = Hostile;
        start.Environment["SCREENSHOTS"] = screenshots;
        return RunAsync(start, TimeSpan.FromMinutes(5), cancellationToken);
    }

    private static async Task<(int, string, string)> RunAsync(ProcessStartInfo start, TimeSpan limit, CancellationToken cancellationToken)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(limit);
        var stdout = process.StandardOutput.ReadToEndAsync(bounded.Token);
        var stderr = process.StandardError.ReadToEndAsync(bounded.Token);
        try
        {
            await process.WaitForExitAsync(bounded.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish within {limit}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "eng", "fetch-browser.sh")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no eng/fetch-browser.sh above {AppContext.BaseDirectory}");
    }
}
