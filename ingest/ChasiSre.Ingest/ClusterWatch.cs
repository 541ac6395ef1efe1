using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Ingest;

/// <summary>
/// Everything ingest does for one cluster: discovers which resources it serves, runs a
/// <see cref="ResourceWatcher"/> per resource, normalizes what they see and publishes it, and
/// fetches logs of containers in trouble. Credentials can be replaced while running (a rotated
/// vCluster secret): watches resume from where they were. Disposing stops it; <see cref="RetireAsync"/>
/// also publishes tombstones for everything it published, for a cluster that no longer exists.
/// </summary>
public sealed class ClusterWatch : IAsyncDisposable
{
    private readonly ObjectNormalizer normalizer;
    private readonly IIngestSink sink;
    private readonly IngestOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly Func<ResourceChange, CancellationToken, ValueTask>? observer;
    private readonly List<ResourceWatcher> watchers = [];
    private readonly List<Task> watcherTasks = [];
    private readonly Lock sync = new();
    private readonly PodLogCollector logs;
    private readonly CancellationTokenSource stopping = new();
    private KubeApiClient client;
    private Task? running;
    private int disposed;

    /// <summary>Creates the watch; <see cref="Start"/> starts it.</summary>
    /// <param name="identity">The cluster's identity.</param>
    /// <param name="client">The API client (owned by the watch from now on).</param>
    /// <param name="sink">Where records go.</param>
    /// <param name="tenants">Tenant resolution.</param>
    /// <param name="options">Ingest settings.</param>
    /// <param name="timeProvider">Clock.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <param name="observer">Sees every change before it is normalized (vCluster discovery on the host); the object must not be kept.</param>
    public ClusterWatch(
        ClusterIdentity identity,
        KubeApiClient client,
        IIngestSink sink,
        ITenantResolver tenants,
        IngestOptions options,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        Func<ResourceChange, CancellationToken, ValueTask>? observer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        this.client = client;
        this.sink = sink;
        this.options = options;
        this.timeProvider = timeProvider;
        this.observer = observer;
        logger = loggerFactory.CreateLogger<ClusterWatch>();
        normalizer = new ObjectNormalizer(identity, tenants, options.IncludeConfigMapData);
        Health = new ClusterHealth(timeProvider);
        logs = new PodLogCollector(identity.Cluster, () => this.client, sink, options.Logs, timeProvider, logger);
    }

    /// <summary>The cluster's identity.</summary>
    public ClusterIdentity Identity => normalizer.Identity;

    /// <summary>Whether its API server answers.</summary>
    public ClusterHealth Health { get; }

    /// <summary>The watchers started so far.</summary>
    public IReadOnlyList<ResourceWatcher> Watchers
    {
        get
        {
            lock (sync)
            {
                return [.. watchers];
            }
        }
    }

    /// <summary>True when resources were discovered and every watcher delivered its first list.</summary>
    public bool Synced
    {
        get
        {
            lock (sync)
            {
                return watchers.Count > 0 && watchers.TrueForAll(w => w.Synced);
            }
        }
    }

    /// <summary>Log requests made so far.</summary>
    public int LogFetches => logs.Fetches;

    /// <summary>Starts discovery, the watchers, the publisher and the log collector in the background.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(disposed != 0, this);
        running ??= Task.WhenAll(
            Task.Run(() => DiscoverLoopAsync(stopping.Token)),
            Task.Run(() => logs.RunAsync(stopping.Token)));
        IngestTelemetry.ClustersWatched.Add(1);
    }

    /// <summary>Swaps the API client (rotated credentials); open watches end and resume with the new one.</summary>
    public void ReplaceClient(KubeApiClient replacement)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        KubeApiClient old;
        lock (sync)
        {
            old = client;
            client = replacement;
            foreach (var watcher in watchers)
            {
                watcher.Interrupt();
            }
        }

        // Requests in flight on the old client end with it; watchers retry on the new one.
        old.Dispose();
    }

    /// <summary>Stops watching and publishes a tombstone for every object this watch published.</summary>
    public async Task RetireAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync();
        var now = timeProvider.GetUtcNow();
        foreach (var watcher in Watchers)
        {
            if (watcher.Resource == KubeResources.Events)
            {
                continue;
            }

            foreach (var identity in watcher.Known())
            {
                await sink.PublishObjectAsync(new ObjectRecord { Tombstone = normalizer.Tombstone(watcher.Resource, identity, now) }, null, cancellationToken);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        stopping.Dispose();
        client.Dispose();
    }

    private async Task StopAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stopping.CancelAsync();
        Task[] tasks;
        lock (sync)
        {
            tasks = [.. watcherTasks];
        }

        if (running is not null)
        {
#pragma warning disable VSTHRD003 // The task was started by Start on this object; no synchronization context is involved.
            await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
#pragma warning restore VSTHRD003
            IngestTelemetry.ClustersWatched.Add(-1);
        }

        await Task.WhenAll(tasks).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Log.ClusterStopped(logger, Identity.ToString());
    }

    private async Task DiscoverLoopAsync(CancellationToken cancellationToken)
    {
        var backoff = new RetryBackoff(options.MinBackoff, options.MaxBackoff);
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan delay;
            try
            {
                await DiscoverAsync(cancellationToken);
                Health.Succeeded();
                backoff.Reset();
                delay = options.RediscoveryInterval;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or System.Text.Json.JsonException)
            {
                Health.Failed(e);
                delay = backoff.Next();
                Log.DiscoveryFailed(logger, Identity.ToString(), delay, e.Message);
            }

            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task DiscoverAsync(CancellationToken cancellationToken)
    {
        HashSet<KubeResource> running;
        lock (sync)
        {
            running = [.. watchers.Select(w => w.Resource)];
        }

        // One discovery request per group version, all at once.
        var paths = KubeResources.Default.Select(r => r.GroupVersionPath).Distinct(StringComparer.Ordinal).ToList();
        var answers = await Task.WhenAll(paths.Select(path => client.ServedResourcesAsync(path, cancellationToken)));
        var served = paths.Zip(answers).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
        var started = new List<KubeResource>();
        var skipped = new List<string>();
        var priority = new List<ResourceWatcher>();
        // With an observer (vCluster discovery on the host), the workloads that name vClusters are
        // listed and observed first, so every other host object is published with its tenant known.
        var order = observer is null || running.Count > 0
            ? KubeResources.Default
            : [.. KubeResources.Default.Where(IsPriority), .. KubeResources.Default.Where(r => !IsPriority(r))];
        foreach (var resource in order)
        {
            if (priority.Count > 0 && !IsPriority(resource))
            {
                await Task.WhenAll(priority.Select(w => w.InitialListPublished)).WaitAsync(cancellationToken);
                priority.Clear();
            }

            if (!served[resource.GroupVersionPath].Contains(resource.Plural))
            {
                skipped.Add(resource.ToString());
                continue;
            }

            if (running.Contains(resource))
            {
                continue;
            }

            var watcher = new ResourceWatcher(Identity.ToString(), resource, () => client, HandleAsync, options.WatchSettings, Health, timeProvider, logger);
            lock (sync)
            {
                watchers.Add(watcher);
                watcherTasks.Add(Task.Run(() => watcher.RunAsync(cancellationToken), cancellationToken));
            }

            started.Add(resource);
            if (observer is not null && IsPriority(resource))
            {
                priority.Add(watcher);
            }
        }

        if (started.Count > 0)
        {
            Log.ClusterStarted(logger, Identity.ToString(), started.Count + running.Count, skipped.Count, string.Join(", ", skipped));
        }
    }

    private static bool IsPriority(KubeResource resource) => resource == KubeResources.StatefulSets || resource == KubeResources.Deployments;

    // Runs on the watcher that saw the change: watchers publish concurrently, each in its own order.
    private async ValueTask HandleAsync(ResourceChange change, CancellationToken cancellationToken)
    {
        if (observer is not null)
        {
            await observer(change, cancellationToken);
        }

        try
        {
            await PublishAsync(change, cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or System.Text.Json.JsonException or ArgumentException)
        {
            // Data the API server sent that does not fit the object model: kept, not lost.
            await DeadLetterAsync(change, DeadLetterKinds.Normalize, e, cancellationToken);
        }
    }

    private async ValueTask DeadLetterAsync(ResourceChange change, string kind, Exception error, CancellationToken cancellationToken)
    {
        var name = change.Value.Get("metadata").Text("name") ?? "";
        var ns = change.Value.Get("metadata").Text("namespace") ?? "";
        Log.NormalizeFailed(logger, Identity.ToString(), change.Resource.ToString(), $"{ns}/{name}", error.Message);
        // A Secret's values never leave the watcher, not even to the dead-letter topic; nor does an oversized value.
        var dropValue = change.Resource == KubeResources.Secrets || kind == DeadLetterKinds.Oversized;
        var key = $"{Identity}/{change.Resource}/{ns}/{name}";
        var letter = new DeadLetter
        {
            OriginalTopic = TopicCatalog.Objects.Name,
            OriginalKey = Google.Protobuf.ByteString.CopyFromUtf8(key),
            OriginalValue = dropValue ? Google.Protobuf.ByteString.Empty : Google.Protobuf.ByteString.CopyFromUtf8(change.Value.GetRawText()),
            OriginalValueDropped = dropValue,
            ErrorKind = kind,
            ErrorType = error.GetType().Name,
            ErrorMessage = error.Message,
            RejectedBy = IngestTelemetry.Component,
            RejectedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(timeProvider.GetUtcNow()),
            OriginalSource = $"kube-api:{Identity}",
        };
        await sink.PublishDeadLetterAsync(key, letter, cancellationToken);
    }

    // Sizing a snapshot walks every field (the producer walks them again to serialize), so it is
    // done only when the snapshot could be over the limit. Everything in a snapshot besides its JSON
    // is copied from that JSON (names, labels, annotations, owners; a twin's names a second time,
    // protobuf's per-entry overhead at most about that of JSON) or is a short identity: it is less than
    // five times its JSON's length plus 16 KiB.
    private bool MayExceed(ObjectSnapshot snapshot) => (5L * snapshot.ObjectJson.Length) + (16 * 1024) > options.MaxRecordBytes;

    private async ValueTask PublishAsync(ResourceChange change, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var resource = change.Resource;
        if (resource == KubeResources.Events)
        {
            // Events expire by themselves; a deleted Event needs no record.
            if (!change.Deleted)
            {
                await sink.PublishEventAsync(normalizer.Event(change.Value, now), cancellationToken);
            }

            return;
        }

        if (change.Deleted)
        {
            var tombstone = normalizer.Tombstone(resource, change.Value, now);
            if (resource == KubeResources.Pods)
            {
                logs.Forget(tombstone.Ref);
            }

            await sink.PublishObjectAsync(new ObjectRecord { Tombstone = tombstone }, change.Watcher.ResyncOnFailure, cancellationToken);
            return;
        }

        var snapshot = normalizer.Snapshot(resource, change.Value, change.FromList, now);
        if (MayExceed(snapshot) && snapshot.CalculateSize() > options.MaxRecordBytes)
        {
            await DeadLetterAsync(change, DeadLetterKinds.Oversized, new InvalidDataException($"the snapshot is {snapshot.CalculateSize()} bytes, more than {options.MaxRecordBytes}"), cancellationToken);
            snapshot.ObjectJson = Google.Protobuf.ByteString.Empty;
            snapshot.ObjectJsonOmitted = true;
        }

        await sink.PublishObjectAsync(new ObjectRecord { Snapshot = snapshot }, change.Watcher.ResyncOnFailure, cancellationToken);
        if (resource == KubeResources.Pods && (options.Logs.FetchHostTwins || snapshot.Ref.Layer != Layer.Host || snapshot.Ref.Twin is null))
        {
            logs.Consider(snapshot.Ref, change.Value);
        }
    }

}
