using System.Diagnostics.Metrics;
using System.Text;
using System.Text.RegularExpressions;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Ingest.Metrics.Tests;

public sealed class PrometheusScraperTests
{
    private static readonly ClusterIdentity Prod = ClusterIdentity.Host("prod");

    [Fact]
    public async Task DiscoverAsync_AnnotatedPodsAndServices_BuildsTargetsWithDefaultsAndOverrides()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync("prod", ct);
        var custom = TestCluster.Scrape(8080, "stats");
        custom[ScrapeTargets.IntervalAnnotation] = "15s";
        custom[ScrapeTargets.TimeoutAnnotation] = "1m";
        custom[ScrapeTargets.SchemeAnnotation] = "https";
        cluster.Simulator.Apply(TestCluster.Pod("ns-alice", "custom", "Running", "10.0.0.1", custom));
        cluster.Simulator.Apply(TestCluster.Pod("ns-alice", "declared-port", "Running", "10.0.0.2", new Dictionary<string, string> { [ScrapeTargets.ScrapeAnnotation] = "true" }, containerPort: 9100));
        cluster.Simulator.Apply(TestCluster.Pod("ns-alice", "not-annotated", "Running", "10.0.0.3", containerPort: 9100));
        cluster.Simulator.Apply(TestCluster.Pod("ns-alice", "pending", "Pending", null, TestCluster.Scrape(9100)));
        cluster.Simulator.Apply(TestCluster.Pod("ns-alice", "no-port", "Running", "10.0.0.4", new Dictionary<string, string> { [ScrapeTargets.ScrapeAnnotation] = "true" }));
        cluster.Simulator.Apply(TestCluster.Pod("ns-alice", "bad-port", "Running", "10.0.0.5", TestCluster.Scrape(0)));
        cluster.Simulator.Apply(TestCluster.Pod("ns-alice", "ipv6", "Running", "fd00::5", TestCluster.Scrape(9100)));
        cluster.Simulator.Apply(Service("api", "10.96.0.10", annotated: true));
        cluster.Simulator.Apply(Service("headless", "None", annotated: true));
        cluster.Simulator.Apply(Service("quiet", "10.96.0.11", annotated: false));
        using var scraper = Scraper(cluster, new RecordingMetricSink(), new MetricsIngestOptions());

        var targets = (await scraper.DiscoverAsync(ct)).ToDictionary(t => t.Subject.Name);

        Assert.Equal(["api", "custom", "declared-port", "ipv6"], targets.Keys.Order(StringComparer.Ordinal));
        var customTarget = targets["custom"];
        Assert.Equal(new Uri("https://10.0.0.1:8080/stats"), customTarget.Url);
        Assert.Equal(TimeSpan.FromSeconds(15), customTarget.Interval);
        Assert.Equal(TimeSpan.FromSeconds(15), customTarget.Timeout);
        Assert.Equal(("Pod", "alice", "uid-custom"), (customTarget.Subject.Kind, customTarget.Subject.Tenant, customTarget.Subject.Uid));
        Assert.Equal("prod/core/Pod/ns-alice/custom:8080/stats", customTarget.Id);
        Assert.Equal(new Uri("http://10.0.0.2:9100/metrics"), targets["declared-port"].Url);
        Assert.Equal(TimeSpan.FromSeconds(30), targets["declared-port"].Interval);
        Assert.Equal(TimeSpan.FromSeconds(10), targets["declared-port"].Timeout);
        Assert.Equal(new Uri("http://[fd00::5]:9100/metrics"), targets["ipv6"].Url);
        Assert.Equal(new Uri("http://10.96.0.10:8443/metrics"), targets["api"].Url);
        Assert.Equal("Service", targets["api"].Subject.Kind);
        Assert.Contains(new KeyValuePair<string, string>("service", "api"), targets["api"].Labels);
    }

    [Fact]
    public async Task ScrapeAsync_CounterResetAcrossScrapes_PublishesMonotonicCounterWithResetMarker()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync("prod", ct);
        await using var target = await MetricsTarget.StartAsync(ct);
        cluster.Simulator.Apply(TestCluster.Pod("ns-alice", "web-1", "Running", "127.0.0.1", TestCluster.Scrape(target.Port)));
        var sink = new RecordingMetricSink();
        using var scraper = Scraper(cluster, sink, new MetricsIngestOptions());
        var pod = Assert.Single(await scraper.DiscoverAsync(ct));
        var results = new List<ScrapeResult>();

        foreach (var value in new[] { 100, 130, 10 })
        {
            target.Serve($"""
                # HELP http_requests_total Requests.
                # TYPE http_requests_total counter
                http_requests_total{"{"}code="200",pod="inner"{"}"} {value}
                # TYPE queue_depth gauge
                queue_depth 7

                """);
            results.Add(await scraper.ScrapeAsync(pod, ct));
            await Task.Delay(5, ct);
        }

        Assert.All(results, r => Assert.Equal((ScrapeStatus.Ok, 2, 2), (r.Status, r.Samples, r.Published)));
        var requests = sink.Named("http_requests_total");
        Assert.Equal([100.0, 130.0, 140.0], requests.Select(s => s.Points.Single().Value));
        Assert.Equal("true", requests[2].Labels[MetricSeries.ResetAnnotation]);
        Assert.False(requests[1].Labels.ContainsKey(MetricSeries.ResetAnnotation));
        var first = requests[0];
        Assert.Equal("http_requests_total{code=\"200\",exported_pod=\"inner\",namespace=\"ns-alice\",pod=\"web-1\"}", first.Series);
        Assert.Equal(("Pod", "web-1", "alice", "uid-web-1"), (first.Subject.Kind, first.Subject.Name, first.Subject.Tenant, first.Subject.Uid));
        Assert.Equal([1.0, 1.0, 1.0], sink.Named("up").Select(s => s.Points.Single().Value));
        Assert.Equal([2.0, 2.0, 2.0], sink.Named("scrape_samples_scraped").Select(s => s.Points.Single().Value));
        Assert.Contains("application/openmetrics-text", target.LastAccept, StringComparison.Ordinal);
        Assert.Equal("/metrics", target.LastPath);
    }

    [Fact]
    public async Task ScrapeAsync_OpenMetricsTarget_ParsesSecondsTimestampsAndSkipsCreated()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var target = await MetricsTarget.StartAsync(ct);
        target.Serve(
            """
            # TYPE jobs counter
            jobs_total 5 1767225600.5
            jobs_created 1767225000
            # EOF

            """,
            "application/openmetrics-text; version=1.0.0; charset=utf-8");
        var sink = new RecordingMetricSink();
        using var scraper = Scraper(null, sink, new MetricsIngestOptions());

        var result = await scraper.ScrapeAsync(Target(target.Port), ct);

        Assert.Equal((ScrapeStatus.Ok, 1), (result.Status, result.Samples));
        var jobs = Assert.Single(sink.Named("jobs_total"));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_500), jobs.Points.Single().At.ToDateTimeOffset());
        Assert.Empty(sink.Named("jobs_created"));
    }

    [Fact]
    public async Task ScrapeAsync_SlowTarget_TimesOutAndReportsDown()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var target = await MetricsTarget.StartAsync(ct);
        target.Handler = async context =>
        {
            await context.Response.WriteAsync("partial_metric 1\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        };
        var sink = new RecordingMetricSink();
        using var scraper = Scraper(null, sink, new MetricsIngestOptions());

        var result = await scraper.ScrapeAsync(Target(target.Port) with { Timeout = TimeSpan.FromMilliseconds(300) }, ct);

        Assert.Equal(ScrapeStatus.Timeout, result.Status);
        Assert.InRange(result.Duration, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
        Assert.Empty(sink.Named("partial_metric"));
        Assert.Equal(0, Assert.Single(sink.Named("up")).Points.Single().Value);
        Assert.Empty(sink.DeadLetters);
    }

    [Fact]
    public async Task ScrapeAsync_GarbageBody_DeadLettersCountsAndPublishesNothingButUp()
    {
        var ct = TestContext.Current.CancellationToken;
        const string garbage = "<html><body>502 Bad Gateway</body></html>\n";
        await using var target = await MetricsTarget.StartAsync(ct);
        target.Serve("good_metric 1\n" + garbage, "text/html");
        var sink = new RecordingMetricSink();
        using var scraper = Scraper(null, sink, new MetricsIngestOptions());
        var invalid = 0L;
        using var listener = Listen("chasisre.ingest.metrics.scrapes", ("status", "invalid"), value => Interlocked.Add(ref invalid, value));

        var result = await scraper.ScrapeAsync(Target(target.Port), ct);

        Assert.Equal(ScrapeStatus.Invalid, result.Status);
        Assert.Contains("line 2", result.Error, StringComparison.Ordinal);
        Assert.Empty(sink.Named("good_metric"));
        Assert.Equal(0, Assert.Single(sink.Named("up")).Points.Single().Value);
        var (key, letter) = Assert.Single(sink.DeadLetters);
        Assert.Equal("prod/core/Pod/ns-alice/web-1", key);
        Assert.Equal(DeadLetterKinds.Normalize, letter.ErrorKind);
        Assert.Equal(typeof(PrometheusFormatException).FullName, letter.ErrorType);
        Assert.Equal("good_metric 1\n" + garbage, letter.OriginalValue.ToStringUtf8());
        Assert.False(letter.OriginalValueDropped);
        Assert.Equal("ingest-metrics", letter.RejectedBy);
        Assert.True(Interlocked.Read(ref invalid) >= 1);
    }

    [Fact]
    public async Task ScrapeAsync_EndlessBody_StopsAtTheByteLimitAndKeepsABoundedDeadLetter()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var target = await MetricsTarget.StartAsync(ct);
        target.Handler = async context =>
        {
            var line = Encoding.ASCII.GetBytes("flood{instance=\"x\"} 1\n");
            for (var i = 0; i < 10_000_000 && !context.RequestAborted.IsCancellationRequested; i++)
            {
                await context.Response.Body.WriteAsync(line, context.RequestAborted);
            }
        };
        var sink = new RecordingMetricSink();
        var options = new MetricsIngestOptions { MaxScrapeBytes = 256 * 1024, MaxSeriesPerScrape = 1_000_000, DeadLetterMaxBytes = 1024 };
        using var scraper = Scraper(null, sink, options);

        var result = await scraper.ScrapeAsync(Target(target.Port), ct);

        Assert.Equal(ScrapeStatus.Invalid, result.Status);
        Assert.Contains("larger than 262144 bytes", result.Error, StringComparison.Ordinal);
        var letter = Assert.Single(sink.DeadLetters).Letter;
        Assert.Equal(1024, letter.OriginalValue.Length);
        Assert.True(letter.OriginalValueDropped);
        Assert.Empty(sink.Named("flood"));
    }

    [Fact]
    public async Task ScrapeAsync_ServerError_ReportsHttpError()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var target = await MetricsTarget.StartAsync(ct);
        target.Handler = context =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        };
        var sink = new RecordingMetricSink();
        using var scraper = Scraper(null, sink, new MetricsIngestOptions());

        var result = await scraper.ScrapeAsync(Target(target.Port), ct);

        Assert.Equal(ScrapeStatus.HttpError, result.Status);
        Assert.Contains("503", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, Assert.Single(sink.Named("up")).Points.Single().Value);
    }

    [Fact]
    public async Task ScrapeAsync_NothingListening_ReportsUnreachable()
    {
        var ct = TestContext.Current.CancellationToken;
        int port;
        await using (var closed = await MetricsTarget.StartAsync(ct))
        {
            port = closed.Port;
        }

        var sink = new RecordingMetricSink();
        using var scraper = Scraper(null, sink, new MetricsIngestOptions());

        var result = await scraper.ScrapeAsync(Target(port), ct);

        Assert.Equal(ScrapeStatus.Unreachable, result.Status);
        Assert.Equal(0, Assert.Single(sink.Named("up")).Points.Single().Value);
    }

    [Fact]
    public async Task RunAsync_HandedTargets_ScrapesEachRepeatedlyWithinTheConcurrencyLimit()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var target = await MetricsTarget.StartAsync(ct);
        target.Handler = async context =>
        {
            await Task.Delay(150, context.RequestAborted);
            await context.Response.WriteAsync($"requests_total{{path=\"{context.Request.Path}\"}} 1\n", context.RequestAborted);
        };
        var sink = new RecordingMetricSink();
        var options = new MetricsIngestOptions { MaxConcurrentScrapes = 2, MinScrapeInterval = TimeSpan.FromMilliseconds(100), DiscoveryInterval = TimeSpan.FromSeconds(1) };
        using var scraper = Scraper(null, sink, options);
        IReadOnlyList<ScrapeTarget> targets = [.. Enumerable.Range(0, 4).Select(i => Target(target.Port, $"web-{i}") with { Interval = TimeSpan.FromMilliseconds(200) })];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);

        var running = scraper.RunAsync(_ => Task.FromResult(targets), stop.Token);
        await WaitUntilAsync(() => targets.All(t => sink.Named("up").Count(s => s.Subject.Name == t.Subject.Name) >= 3), "three scrapes of every target", ct);
        await stop.CancelAsync();
        await running;

        Assert.InRange(target.MaxInFlight, 1, 2);
        Assert.Equal(0, scraper.InFlight);
    }

    [Fact]
    public async Task RunAsync_Discovery_StartsNewPodsAndStopsDeletedOnes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync("prod", ct);
        await using var target = await MetricsTarget.StartAsync(ct);
        target.Serve("ready 1\n");
        var sink = new RecordingMetricSink();
        var options = new MetricsIngestOptions { MinScrapeInterval = TimeSpan.FromMilliseconds(100), DiscoveryInterval = TimeSpan.FromSeconds(1) };
        using var scraper = Scraper(cluster, sink, options);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var annotations = TestCluster.Scrape(target.Port);
        annotations[ScrapeTargets.IntervalAnnotation] = "200ms";

        var running = scraper.RunAsync(stop.Token);
        await Task.Delay(300, ct);
        Assert.Equal(0, target.Requests);
        cluster.Simulator.Apply(TestCluster.Pod("ns-alice", "late", "Running", "127.0.0.1", annotations));
        await WaitUntilAsync(() => target.Requests >= 3, "scrapes of the new pod", ct);
        cluster.Simulator.Delete("v1", "Pod", "ns-alice", "late");
        await Task.Delay(1500, ct);
        var afterDelete = target.Requests;
        await Task.Delay(800, ct);
        await stop.CancelAsync();
        await running;

        Assert.Equal(afterDelete, target.Requests);
        Assert.All(sink.Named("ready"), s => Assert.Equal("late", s.Subject.Name));
    }

    [Fact]
    public async Task ScrapeAsync_TenantOverItsLimit_LogsAndSignalsOnceKeepsExistingSeries()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var target = await MetricsTarget.StartAsync(ct);
        var sink = new RecordingMetricSink();
        using var scraper = Scraper(null, sink, new MetricsIngestOptions { MaxSeriesPerTenant = 5 });
        var pod = Target(target.Port);

        target.Serve("a 1\nb 1\n");
        await scraper.ScrapeAsync(pod, ct);
        await Task.Delay(5, ct);
        target.Serve("a 2\nb 2\n" + string.Concat(Enumerable.Range(0, 10).Select(i => $"new_{i} 1\n")));
        var second = await scraper.ScrapeAsync(pod, ct);
        await Task.Delay(5, ct);
        var third = await scraper.ScrapeAsync(pod, ct);

        // up, scrape_duration_seconds, scrape_samples_scraped, a, b fill the budget of 5.
        Assert.Equal((12, 2), (second.Samples, second.Published));
        Assert.Equal(2, third.Published);
        var signal = Assert.Single(sink.Signals);
        Assert.Equal(("ingest.metrics.cardinality", "MetricCardinalityLimit", Severity.Warning, "alice"), (signal.Detector, signal.Reason, signal.Severity, signal.Attributes["tenant"]));
        Assert.Equal("web-1", signal.Subject.Name);
        Assert.Equal([1.0, 2.0, 2.0], sink.Named("a").Select(s => s.Points.Single().Value));
        Assert.DoesNotContain(sink.Samples, s => s.Name.StartsWith("new_", StringComparison.Ordinal));
    }

    private static PrometheusScraper Scraper(TestCluster? cluster, IMetricSink sink, MetricsIngestOptions options) =>
        new(
            new HttpClient { Timeout = Timeout.InfiniteTimeSpan },
            cluster?.Client,
            Prod,
            new TenantResolver(new Regex("^ns-(?<tenant>[a-z0-9-]+)$", RegexOptions.None, TimeSpan.FromSeconds(1))),
            TestCluster.Publisher(sink, options),
            options,
            TimeProvider.System,
            NullLogger<PrometheusScraper>.Instance);

    private static ScrapeTarget Target(int port, string pod = "web-1") =>
        new(
            $"prod/core/Pod/ns-alice/{pod}:{port}/{pod}",
            new Uri($"http://127.0.0.1:{port}/{pod}"),
            Prod.Ref("v1", "Pod", "ns-alice", pod, $"uid-{pod}", "alice"),
            [new("namespace", "ns-alice"), new("pod", pod)],
            TimeSpan.FromSeconds(30),
            TimeSpan.FromSeconds(5));

    private static System.Text.Json.Nodes.JsonObject Service(string name, string clusterIp, bool annotated)
    {
        var metadata = new System.Text.Json.Nodes.JsonObject { ["name"] = name, ["namespace"] = "ns-alice" };
        if (annotated)
        {
            metadata["annotations"] = new System.Text.Json.Nodes.JsonObject { [ScrapeTargets.ScrapeAnnotation] = "true" };
        }

        return new System.Text.Json.Nodes.JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = metadata,
            ["spec"] = new System.Text.Json.Nodes.JsonObject
            {
                ["clusterIP"] = clusterIp,
                ["ports"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["port"] = 8443 }),
            },
        };
    }

    private static MeterListener Listen(string instrument, (string Key, string Value) tag, Action<long> onMeasurement)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == "ChasiSre.Ingest.Metrics" && i.Name == instrument)
                {
                    l.EnableMeasurementEvents(i);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var t in tags)
            {
                if (t.Key == tag.Key && (t.Value as string) == tag.Value)
                {
                    onMeasurement(value);
                }
            }
        });
        listener.Start();
        return listener;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }
}
