using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ChasiSre.Schemas.V1;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Ingest.Metrics;

/// <summary>
/// Scrapes the pods and services of one cluster annotated <c>prometheus.io/scrape: "true"</c>
/// (see <see cref="ScrapeTargets"/>) and publishes every sample through <see cref="MetricPublisher"/>
/// with the pod or service as subject. Each target runs on its own interval at a fixed offset
/// derived from its id (so targets spread over the interval instead of firing together, as
/// Prometheus does), at most <see cref="MetricsIngestOptions.MaxConcurrentScrapes"/> at a time,
/// each bounded by its timeout and by the parser's limits. Besides the exposed samples every
/// scrape publishes <c>up</c> (1 or 0), <c>scrape_duration_seconds</c> and <c>scrape_samples_scraped</c>.
/// A body that is not valid exposition text is dead-lettered (the first
/// <see cref="MetricsIngestOptions.DeadLetterMaxBytes"/> of it) and nothing of it is published.
/// </summary>
public sealed class PrometheusScraper : IDisposable
{
    private const string Source = "prometheus";
    private const string Accept = "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1";
    private static readonly KubeResource Pods = new("", "v1", "pods", "Pod", Namespaced: true);
    private static readonly KubeResource Services = new("", "v1", "services", "Service", Namespaced: true);
    private readonly HttpClient http;
    private readonly KubeApiClient? client;
    private readonly ClusterIdentity identity;
    private readonly ITenantResolver tenants;
    private readonly MetricPublisher publisher;
    private readonly MetricsIngestOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly PrometheusTextParser parser;
    private readonly SemaphoreSlim concurrency;

    /// <summary>Creates a scraper for one cluster.</summary>
    /// <param name="http">The client targets are scraped with (its own timeout is not used: each target has one).</param>
    /// <param name="client">The cluster's API, for discovery; null when targets are handed over (<see cref="RunAsync(Func{CancellationToken, Task{IReadOnlyList{ScrapeTarget}}}, CancellationToken)"/>).</param>
    /// <param name="identity">The cluster.</param>
    /// <param name="tenants">Tenant resolution.</param>
    /// <param name="publisher">Normalization and the sink.</param>
    /// <param name="options">Intervals, timeouts, limits.</param>
    /// <param name="timeProvider">Clock.</param>
    /// <param name="logger">Logger.</param>
    public PrometheusScraper(
        HttpClient http,
        KubeApiClient? client,
        ClusterIdentity identity,
        ITenantResolver tenants,
        MetricPublisher publisher,
        MetricsIngestOptions options,
        TimeProvider timeProvider,
        ILogger<PrometheusScraper> logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(tenants);
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(options);
        this.http = http;
        this.client = client;
        this.identity = identity;
        this.tenants = tenants;
        this.publisher = publisher;
        this.options = options;
        this.timeProvider = timeProvider;
        this.logger = logger;
        parser = new PrometheusTextParser(options.ParserLimits());
        concurrency = new SemaphoreSlim(options.MaxConcurrentScrapes, options.MaxConcurrentScrapes);
    }

    /// <summary>Scrapes currently running (for tests and dashboards).</summary>
    public int InFlight => options.MaxConcurrentScrapes - concurrency.CurrentCount;

    /// <summary>The targets among the given pods and services.</summary>
    public IReadOnlyList<ScrapeTarget> TargetsOf(IEnumerable<JsonObject> pods, IEnumerable<JsonObject> services)
    {
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(services);
        var targets = new List<ScrapeTarget>();
        foreach (var pod in pods)
        {
            Add(pod, "Pod", ScrapeTargets.FromPod(pod, identity, tenants, options, out var reason), reason);
        }

        foreach (var service in services)
        {
            Add(service, "Service", ScrapeTargets.FromService(service, identity, tenants, options, out var reason), reason);
        }

        return targets;

        void Add(JsonObject obj, string kind, ScrapeTarget? target, string? reason)
        {
            if (target is not null)
            {
                targets.Add(target);
            }
            else if (reason is not null)
            {
                Log.TargetSkipped(logger, identity.ToString(), kind, obj["metadata"]?["namespace"]?.GetValue<string>() ?? "", obj["metadata"]?["name"]?.GetValue<string>() ?? "", reason);
            }
        }
    }

    /// <summary>Lists pods and services through the API and returns the targets among them.</summary>
    public async Task<IReadOnlyList<ScrapeTarget>> DiscoverAsync(CancellationToken cancellationToken = default)
    {
        if (client is null)
        {
            throw new InvalidOperationException("This scraper has no API client; hand it targets instead.");
        }

        var pods = await ListAsync(Pods, cancellationToken);
        var services = await ListAsync(Services, cancellationToken);
        return TargetsOf(pods, services);
    }

    /// <summary>Discovers through the API every <see cref="MetricsIngestOptions.DiscoveryInterval"/> and scrapes until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken = default) => RunAsync(DiscoverAsync, cancellationToken);

    /// <summary>Takes targets from <paramref name="discover"/> every <see cref="MetricsIngestOptions.DiscoveryInterval"/> and scrapes them until cancelled.</summary>
    public async Task RunAsync(Func<CancellationToken, Task<IReadOnlyList<ScrapeTarget>>> discover, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(discover);
        var running = new Dictionary<string, (ScrapeTarget Target, CancellationTokenSource Stop, Task Loop)>(StringComparer.Ordinal);
        var failures = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var delay = options.DiscoveryInterval;
                try
                {
                    var targets = await discover(cancellationToken);
                    failures = 0;
                    Reconcile(running, targets, cancellationToken);
                }
                catch (Exception e) when (e is KubeApiException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                {
                    failures++;
                    delay = TimeSpan.FromSeconds(Math.Min(options.DiscoveryInterval.TotalSeconds, 0.5 * Math.Pow(2, Math.Min(failures, 10))));
                    Log.DiscoveryFailed(logger, identity.ToString(), delay, e.Message);
                }

                await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        finally
        {
            foreach (var entry in running.Values)
            {
                await entry.Stop.CancelAsync();
            }

            foreach (var entry in running.Values)
            {
#pragma warning disable VSTHRD003 // The loop was started by Reconcile in this method; no synchronization context is involved.
                await entry.Loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
#pragma warning restore VSTHRD003
                if (entry.Loop.IsFaulted)
                {
                    Log.ScrapeLoopFailed(logger, entry.Target.Id, entry.Loop.Exception);
                }

                entry.Stop.Dispose();
            }
        }
    }

    /// <summary>Scrapes one target once and publishes what it exposed.</summary>
    public async Task<ScrapeResult> ScrapeAsync(ScrapeTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var started = Stopwatch.GetTimestamp();
        var at = timeProvider.GetUtcNow();
        using var deadline = new CancellationTokenSource(target.Timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        PrometheusScrape scrape;
        PrefixCaptureStream? body = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, target.Url);
            request.Headers.Accept.ParseAdd(Accept);
            request.Headers.Add("X-Prometheus-Scrape-Timeout-Seconds", target.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            if (!response.IsSuccessStatusCode)
            {
                return await FailedAsync(target, ScrapeStatus.HttpError, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", at, started, cancellationToken);
            }

            var format = PrometheusTextParser.FormatOf(response.Content.Headers.ContentType?.ToString());
            await using var stream = await response.Content.ReadAsStreamAsync(linked.Token);
            body = new PrefixCaptureStream(stream, options.DeadLetterMaxBytes);
            scrape = await parser.ParseAsync(body, format, linked.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return await FailedAsync(target, ScrapeStatus.Timeout, $"no complete answer within {target.Timeout}", at, started, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            return await FailedAsync(target, ScrapeStatus.Unreachable, e.Message, at, started, cancellationToken);
        }
        catch (IOException e)
        {
            return await FailedAsync(target, ScrapeStatus.Unreachable, e.Message, at, started, cancellationToken);
        }
        catch (PrometheusFormatException e)
        {
            await publisher.DeadLetterAsync(Source, target.Subject, body?.Prefix ?? ReadOnlyMemory<byte>.Empty, body?.Truncated ?? false, e, cancellationToken);
            return await FailedAsync(target, ScrapeStatus.Invalid, e.Message, at, started, cancellationToken);
        }

        var published = 0;
        foreach (var sample in scrape.Samples)
        {
            var when = sample.TimestampMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : at;
            var observation = new MetricObservation(sample.Name, Merge(sample.Labels, target.Labels), target.Subject, sample.Monotonic, sample.Value, when, sample.Unit, target.Interval);
            if ((await publisher.PublishAsync(observation, cancellationToken)).Accepted)
            {
                published++;
            }
        }

        var duration = Stopwatch.GetElapsedTime(started);
        await HealthAsync(target, up: true, at, duration, scrape.Samples.Count, cancellationToken);
        Record(ScrapeStatus.Ok, duration);
        Log.Scraped(logger, target.Id, target.Url, "ok", scrape.Samples.Count, published, duration);
        return new ScrapeResult(ScrapeStatus.Ok, scrape.Samples.Count, published, duration, null);
    }

    /// <inheritdoc />
    public void Dispose() => concurrency.Dispose();

    private async Task<List<JsonObject>> ListAsync(KubeResource resource, CancellationToken cancellationToken)
    {
        var items = new List<JsonObject>();
        string? next = null;
        do
        {
            using var page = await client!.ListPageAsync(resource, 500, next, cancellationToken: cancellationToken);
            // Kept beyond the page: copied out of the page's pooled document.
            items.AddRange(page.Items.Select(i => JsonObject.Create(i.Clone())!));
            next = page.Continue;
        }
        while (next is not null);
        return items;
    }

    private void Reconcile(Dictionary<string, (ScrapeTarget Target, CancellationTokenSource Stop, Task Loop)> running, IReadOnlyList<ScrapeTarget> targets, CancellationToken cancellationToken)
    {
        var wanted = new Dictionary<string, ScrapeTarget>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            wanted.TryAdd(target.Id, target);
        }

        var removed = 0;
        foreach (var (id, entry) in running.ToList())
        {
            var changed = !wanted.TryGetValue(id, out var target) || target.Url != entry.Target.Url || target.Interval != entry.Target.Interval || target.Timeout != entry.Target.Timeout;
            if (entry.Loop.IsFaulted)
            {
                Log.ScrapeLoopFailed(logger, entry.Target.Id, entry.Loop.Exception);
                changed = true;
            }

            if (changed)
            {
                entry.Stop.Cancel();
                var stop = entry.Stop;
                _ = entry.Loop.ContinueWith(_ => stop.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                running.Remove(id);
                removed++;
            }
        }

        var added = 0;
        foreach (var (id, target) in wanted)
        {
            if (running.ContainsKey(id))
            {
                continue;
            }

            var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            running[id] = (target, stop, Task.Run(() => LoopAsync(target, stop.Token), CancellationToken.None));
            added++;
        }

        if (added > 0 || removed > 0)
        {
            Log.TargetsChanged(logger, identity.ToString(), running.Count, added, removed);
        }
    }

    private async Task LoopAsync(ScrapeTarget target, CancellationToken cancellationToken)
    {
        var offset = TimeSpan.FromTicks((long)(Spread(target.Id) * target.Interval.Ticks));
        var next = timeProvider.GetUtcNow() + offset;
        while (!cancellationToken.IsCancellationRequested)
        {
            var wait = next - timeProvider.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }

            try
            {
                await concurrency.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            // The slot is ours from here: a stop that arrives now still releases it (checked inside the try).
            try
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                await ScrapeAsync(target, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            finally
            {
                concurrency.Release();
            }

            // A fixed grid: a slow scrape skips ticks instead of drifting or bunching up.
            var now = timeProvider.GetUtcNow();
            do
            {
                next += target.Interval;
            }
            while (next <= now);
        }
    }

    /// <summary>A fraction in [0, 1) from the target id (FNV-1a), stable across restarts.</summary>
    private static double Spread(string id)
    {
        var hash = 2166136261u;
        foreach (var c in id)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return hash / (double)uint.MaxValue * 0.999;
    }

    private static List<KeyValuePair<string, string>> Merge(IReadOnlyList<KeyValuePair<string, string>> exposed, IReadOnlyList<KeyValuePair<string, string>> target)
    {
        var labels = new List<KeyValuePair<string, string>>(exposed.Count + target.Count);
        foreach (var label in exposed)
        {
            labels.Add(target.Any(t => t.Key == label.Key) ? new("exported_" + label.Key, label.Value) : label);
        }

        labels.AddRange(target);
        return labels;
    }

    private async Task<ScrapeResult> FailedAsync(ScrapeTarget target, ScrapeStatus status, string error, DateTimeOffset at, long started, CancellationToken cancellationToken)
    {
        var duration = Stopwatch.GetElapsedTime(started);
        await HealthAsync(target, up: false, at, duration, 0, cancellationToken);
        Record(status, duration);
        Log.ScrapeFailed(logger, target.Id, target.Url, StatusName(status), error);
        return new ScrapeResult(status, 0, 0, duration, error);
    }

    private async Task HealthAsync(ScrapeTarget target, bool up, DateTimeOffset at, TimeSpan duration, int samples, CancellationToken cancellationToken)
    {
        await publisher.PublishAsync(new MetricObservation("up", target.Labels, target.Subject, false, up ? 1 : 0, at, "", target.Interval), cancellationToken);
        await publisher.PublishAsync(new MetricObservation("scrape_duration_seconds", target.Labels, target.Subject, false, duration.TotalSeconds, at, "seconds", target.Interval), cancellationToken);
        await publisher.PublishAsync(new MetricObservation("scrape_samples_scraped", target.Labels, target.Subject, false, samples, at, "", target.Interval), cancellationToken);
    }

    private static void Record(ScrapeStatus status, TimeSpan duration)
    {
        MetricsTelemetry.Scrapes.Add(1, new KeyValuePair<string, object?>("source", Source), new KeyValuePair<string, object?>("status", StatusName(status)));
        MetricsTelemetry.ScrapeDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("source", Source));
    }

    private static string StatusName(ScrapeStatus status) => status switch
    {
        ScrapeStatus.Ok => "ok",
        ScrapeStatus.Timeout => "timeout",
        ScrapeStatus.HttpError => "http_error",
        ScrapeStatus.Unreachable => "unreachable",
        ScrapeStatus.Invalid => "invalid",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
