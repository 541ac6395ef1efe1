using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChasiSre.Schemas.V1;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Ingest.Metrics;

/// <summary>
/// Polls <c>metrics.k8s.io/v1beta1</c> (<c>nodes</c> and <c>pods</c>, what metrics-server serves)
/// and publishes <c>node_cpu_usage_cores</c>, <c>node_memory_working_set_bytes</c>,
/// <c>container_cpu_usage_cores</c> and <c>container_memory_working_set_bytes</c> with the node or
/// pod as subject. The point's time is the item's <c>timestamp</c> (the end of metrics-server's
/// window), so polling faster than metrics-server refreshes yields duplicates the normalizer drops.
/// An item that cannot be read is dead-lettered; a cluster without metrics-server is "no data", not an error.
/// </summary>
public sealed class ResourceMetricsPoller
{
    /// <summary>The NodeMetrics resource.</summary>
    public static readonly KubeResource NodeMetrics = new("metrics.k8s.io", "v1beta1", "nodes", "NodeMetrics", Namespaced: false);

    /// <summary>The PodMetrics resource.</summary>
    public static readonly KubeResource PodMetrics = new("metrics.k8s.io", "v1beta1", "pods", "PodMetrics", Namespaced: true);

    private const string Source = "metrics.k8s.io";
    private const int PageSize = 500;
    private readonly KubeApiClient client;
    private readonly ClusterIdentity identity;
    private readonly ITenantResolver tenants;
    private readonly MetricPublisher publisher;
    private readonly MetricsIngestOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;

    /// <summary>Creates a poller for one cluster.</summary>
    public ResourceMetricsPoller(
        KubeApiClient client,
        ClusterIdentity identity,
        ITenantResolver tenants,
        MetricPublisher publisher,
        MetricsIngestOptions options,
        TimeProvider timeProvider,
        ILogger<ResourceMetricsPoller> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(tenants);
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(options);
        this.client = client;
        this.identity = identity;
        this.tenants = tenants;
        this.publisher = publisher;
        this.options = options;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    /// <summary>Polls until cancelled: every <see cref="MetricsIngestOptions.ResourceInterval"/>; failures are logged and retried with backoff.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var failures = 0;
        var reportedAbsent = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            var delay = options.ResourceInterval;
            try
            {
                var result = await PollOnceAsync(cancellationToken);
                failures = 0;
                if (!result.Served && !reportedAbsent)
                {
                    Log.ResourceMetricsUnavailable(logger, identity.ToString(), options.ResourceInterval);
                }

                reportedAbsent = !result.Served;
            }
            catch (KubeApiException e)
            {
                failures++;
                delay = e.RetryAfter ?? Backoff(failures);
                Log.ResourcePollFailed(logger, identity.ToString(), delay, e.Message);
            }
            catch (HttpRequestException e)
            {
                failures++;
                delay = Backoff(failures);
                Log.ResourcePollFailed(logger, identity.ToString(), delay, e.Message);
            }

            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>One poll of nodes and pods.</summary>
    /// <exception cref="KubeApiException">The API server failed (other than 404 for an unserved metrics.k8s.io).</exception>
    public async Task<ResourcePollResult> PollOnceAsync(CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var tally = new Tally();
        try
        {
            await foreach (var item in ListAsync(NodeMetrics, cancellationToken))
            {
                tally.Nodes++;
                await NodeAsync(item, tally, cancellationToken);
            }

            await foreach (var item in ListAsync(PodMetrics, cancellationToken))
            {
                tally.Pods++;
                await PodAsync(item, tally, cancellationToken);
            }
        }
        catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            Record("absent", started);
            return new ResourcePollResult(false, tally.Nodes, tally.Pods, tally.Points, tally.Published, tally.Invalid);
        }
        catch (KubeApiException)
        {
            Record("http_error", started);
            throw;
        }

        Record("ok", started);
        Log.ResourcePolled(logger, identity.ToString(), tally.Published, tally.Points, tally.Nodes, tally.Pods);
        return new ResourcePollResult(true, tally.Nodes, tally.Pods, tally.Points, tally.Published, tally.Invalid);
    }

    private static void Record(string status, long started)
    {
        MetricsTelemetry.Scrapes.Add(1, new KeyValuePair<string, object?>("source", Source), new KeyValuePair<string, object?>("status", status));
        MetricsTelemetry.ScrapeDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("source", Source));
    }

    private static TimeSpan Backoff(int failures) =>
        TimeSpan.FromSeconds(Math.Min(60, 0.5 * Math.Pow(2, Math.Min(failures, 10))) * (0.5 + (Random.Shared.NextDouble() / 2)));

    private async IAsyncEnumerable<JsonObject> ListAsync(KubeResource resource, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? next = null;
        do
        {
            using var page = await client.ListPageAsync(resource, PageSize, next, cancellationToken: cancellationToken);
            foreach (var item in page.Items)
            {
                yield return JsonObject.Create(item.Clone())!;
            }

            next = page.Continue;
        }
        while (next is not null);
    }

    private async ValueTask NodeAsync(JsonObject item, Tally tally, CancellationToken cancellationToken)
    {
        var name = item["metadata"]?["name"]?.GetValue<string>() ?? "";
        try
        {
            var at = Time(item);
            var usage = item["usage"] as JsonObject ?? throw new FormatException("no usage");
            var subject = MetricSubjects.Node(identity, name);
            List<KeyValuePair<string, string>> labels = [new("node", name)];
            var cpu = Quantity(usage, "cpu");
            var memory = Quantity(usage, "memory");
            await PublishAsync("node_cpu_usage_cores", labels, subject, cpu, at, "cores", tally, cancellationToken);
            await PublishAsync("node_memory_working_set_bytes", labels, subject, memory, at, "bytes", tally, cancellationToken);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or System.Text.Json.JsonException)
        {
            await InvalidAsync("NodeMetrics", name, name.Length == 0 ? null : MetricSubjects.Node(identity, name), item, e, tally, cancellationToken);
        }
    }

    private async ValueTask PodAsync(JsonObject item, Tally tally, CancellationToken cancellationToken)
    {
        var ns = item["metadata"]?["namespace"]?.GetValue<string>() ?? "";
        var name = item["metadata"]?["name"]?.GetValue<string>() ?? "";
        try
        {
            if (ns.Length == 0 || name.Length == 0)
            {
                throw new FormatException("no metadata.namespace or metadata.name");
            }

            var at = Time(item);
            var subject = MetricSubjects.Pod(identity, tenants, ns, name, null);
            var containers = item["containers"] as JsonArray ?? throw new FormatException("no containers");
            var points = new List<(string Name, List<KeyValuePair<string, string>> Labels, double Value, string Unit)>();
            foreach (var container in containers)
            {
                var containerName = container?["name"]?.GetValue<string>() ?? throw new FormatException("a container without a name");
                var usage = container["usage"] as JsonObject ?? throw new FormatException($"container {containerName} has no usage");
                List<KeyValuePair<string, string>> labels = [new("container", containerName), new("namespace", ns), new("pod", name)];
                points.Add(("container_cpu_usage_cores", labels, Quantity(usage, "cpu"), "cores"));
                points.Add(("container_memory_working_set_bytes", labels, Quantity(usage, "memory"), "bytes"));
            }

            // Validated whole before anything is published: an item is either all in or dead-lettered.
            foreach (var point in points)
            {
                await PublishAsync(point.Name, point.Labels, subject, point.Value, at, point.Unit, tally, cancellationToken);
            }
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or System.Text.Json.JsonException)
        {
            await InvalidAsync("PodMetrics", name, ns.Length == 0 || name.Length == 0 ? null : MetricSubjects.Pod(identity, tenants, ns, name, null), item, e, tally, cancellationToken);
        }
    }

    private async ValueTask PublishAsync(string name, List<KeyValuePair<string, string>> labels, ObjectRef subject, double value, DateTimeOffset at, string unit, Tally tally, CancellationToken cancellationToken)
    {
        tally.Points++;
        var result = await publisher.PublishAsync(new MetricObservation(name, labels, subject, Monotonic: false, value, at, unit, options.ResourceInterval), cancellationToken);
        if (result.Accepted)
        {
            tally.Published++;
        }
    }

    private async ValueTask InvalidAsync(string kind, string name, ObjectRef? subject, JsonObject item, Exception error, Tally tally, CancellationToken cancellationToken)
    {
        tally.Invalid++;
        Log.ResourceItemInvalid(logger, identity.ToString(), kind, name, error.Message);
        await publisher.DeadLetterAsync(Source, subject, Encoding.UTF8.GetBytes(item.ToJsonString()), false, error, cancellationToken);
    }

    private static DateTimeOffset Time(JsonObject item)
    {
        var text = item["timestamp"]?.GetValue<string>() ?? throw new FormatException("no timestamp");
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw new FormatException($"invalid timestamp '{text}'");
    }

    private static double Quantity(JsonObject usage, string resource)
    {
        var text = usage[resource]?.GetValue<string>() ?? throw new FormatException($"no {resource} usage");
        return KubeQuantity.TryParse(text, out var value) ? (double)value : throw new FormatException($"invalid {resource} quantity '{text}'");
    }

    private sealed class Tally
    {
        public int Nodes { get; set; }

        public int Pods { get; set; }

        public int Points { get; set; }

        public int Published { get; set; }

        public int Invalid { get; set; }
    }
}
