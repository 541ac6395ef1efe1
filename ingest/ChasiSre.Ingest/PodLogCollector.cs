using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using ChasiSre.Schemas.V1;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Ingest;

/// <summary>
/// Fetches the logs of containers in trouble (<see cref="PodTrouble"/>) and publishes their lines
/// to <c>chasi.logs.v1</c>: the tail only, capped in bytes, at most once per container per
/// <see cref="PodLogOptions.MinInterval"/> unless it restarted again, a few requests at a time,
/// lines already published skipped. This is where k8sgpt's log analyzer makes one request per
/// container per scan; here a healthy cluster costs no log request at all.
/// </summary>
public sealed class PodLogCollector
{
    private readonly string cluster;
    private readonly Func<KubeApiClient> client;
    private readonly IIngestSink sink;
    private readonly PodLogOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly Channel<(ObjectRef Pod, PodTrouble Trouble)> queue;
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, int Restarts, HashSet<string> Lines)> fetched = new(StringComparer.Ordinal);

    /// <summary>Creates the collector; <see cref="RunAsync"/> does the fetching.</summary>
    public PodLogCollector(string cluster, Func<KubeApiClient> client, IIngestSink sink, PodLogOptions options, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.cluster = cluster;
        this.client = client;
        this.sink = sink;
        this.options = options;
        this.timeProvider = timeProvider;
        this.logger = logger;
        queue = Channel.CreateBounded<(ObjectRef, PodTrouble)>(new BoundedChannelOptions(options.QueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite });
    }

    /// <summary>Fetches queued in this process so far (for tests and the benchmark).</summary>
    public int Fetches => fetchCount;

    private int fetchCount;

    /// <summary>Looks at a pod that changed and queues fetches for its containers in trouble.</summary>
    public void Consider(ObjectRef pod, JsonElement podObject)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (!options.Enabled)
        {
            return;
        }

        var now = timeProvider.GetUtcNow();
        foreach (var trouble in PodTrouble.Find(podObject))
        {
            var key = Key(pod, trouble);
            if (fetched.TryGetValue(key, out var last) && last.Restarts == trouble.RestartCount && now - last.At < options.MinInterval)
            {
                continue;
            }

            fetched[key] = (now, trouble.RestartCount, last.Lines ?? []);
            queue.Writer.TryWrite((pod, trouble));
        }
    }

    /// <summary>Forgets a deleted pod.</summary>
    public void Forget(ObjectRef pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var prefix = $"{pod.Namespace}/{pod.Name}/";
        foreach (var key in fetched.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
        {
            fetched.TryRemove(key, out _);
        }
    }

    /// <summary>Fetches until <paramref name="cancellationToken"/> fires.</summary>
    public Task RunAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(Enumerable.Range(0, options.MaxConcurrentFetches).Select(_ => WorkAsync(cancellationToken)));

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var (pod, trouble) in queue.Reader.ReadAllAsync(cancellationToken))
            {
                await FetchAsync(pod, trouble, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task FetchAsync(ObjectRef pod, PodTrouble trouble, CancellationToken cancellationToken)
    {
        Log.FetchingLogs(logger, cluster, pod.Namespace, pod.Name, trouble.Container, trouble.Previous);
        IngestTelemetry.LogFetches.Add(1);
        Interlocked.Increment(ref fetchCount);
        string text;
        try
        {
            text = await client().GetLogAsync(pod.Namespace, pod.Name, trouble.Container, trouble.Previous, options.TailLines, options.MaxBytes, cancellationToken);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException)
        {
            // No previous container yet, the pod already gone, the node unreachable: nothing to publish.
            Log.LogsUnavailable(logger, cluster, pod.Namespace, pod.Name, trouble.Container, e.Message);
            return;
        }

        var key = Key(pod, trouble);
        var seenBefore = fetched.TryGetValue(key, out var state) ? state.Lines : [];
        var now = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in LogLineParser.Parse(pod, trouble.Container, trouble.Previous, text, options.MaxLineLength, timeProvider.GetUtcNow()))
        {
            now.Add(record.Id);
            if (record.Truncated)
            {
                IngestTelemetry.LogLinesDropped.Add(1);
            }

            if (!seenBefore.Contains(record.Id))
            {
                await sink.PublishLogAsync(record, cancellationToken);
            }
        }

        fetched.AddOrUpdate(key, _ => (timeProvider.GetUtcNow(), trouble.RestartCount, now), (_, old) => (old.At, old.Restarts, now));
    }

    private static string Key(ObjectRef pod, PodTrouble trouble) => $"{pod.Namespace}/{pod.Name}/{pod.Uid}/{trouble.Container}/{trouble.Previous}";
}
