using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Ingest;

/// <summary>
/// List+watch of one resource in one cluster, the informer pattern without a cache of objects:
/// a paginated list, then a watch from the list's resourceVersion with bookmarks; a watch that
/// ends (timeout, dropped connection, API server restart) resumes from the last resourceVersion
/// seen; 410 Gone relists, and the relist reports objects deleted while nobody watched; 429
/// waits for <c>Retry-After</c>; other failures back off exponentially with jitter. It keeps one
/// (key, resourceVersion) pair per object to tell deletions and to skip unchanged objects on a
/// relist. Watch events are handed to the output one at a time, in order; a list page's objects
/// (distinct objects, in no particular order) may be handed over by several workers at once, and
/// the next page is requested meanwhile. A slow publisher slows the watch (TCP flow control)
/// instead of growing memory: at most two list pages per watcher are held.
/// </summary>
public sealed class ResourceWatcher
{
    private readonly KubeResource resource;
    private readonly Func<KubeApiClient> client;
    private readonly Func<ResourceChange, CancellationToken, ValueTask> output;
    private readonly WatchSettings settings;
    private readonly ClusterHealth health;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly string cluster;
    private readonly Dictionary<string, string> seen = new(StringComparer.Ordinal);
    private readonly Lock attemptLock = new();
    private CancellationTokenSource? attempt;
    private string? resumeFrom;
    private volatile bool resyncRequested;
    private readonly TaskCompletionSource initialListPublished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Fewer objects than this per worker are handed over by one: splitting costs more than it saves.
    private const int MinObjectsPerWorker = 32;

    /// <summary>Creates a watcher; <see cref="RunAsync"/> starts it.</summary>
    public ResourceWatcher(
        string cluster,
        KubeResource resource,
        Func<KubeApiClient> client,
        Func<ResourceChange, CancellationToken, ValueTask> output,
        WatchSettings settings,
        ClusterHealth health,
        TimeProvider timeProvider,
        ILogger logger)
    {
        this.cluster = cluster;
        this.resource = resource;
        this.client = client;
        this.output = output;
        this.settings = settings;
        this.health = health;
        this.timeProvider = timeProvider;
        this.logger = logger;
        ResyncOnFailure = () => RequestResync();
    }

    /// <summary><see cref="RequestResync"/> as one delegate for the watcher's lifetime: what a publisher calls when a record it took was not delivered.</summary>
    public Action ResyncOnFailure { get; }

    /// <summary>The resource watched.</summary>
    public KubeResource Resource => resource;

    /// <summary>Number of relists started (the first list included).</summary>
    public int Relists { get; private set; }

    /// <summary>Number of lists that ran to the end (every page handed over, deletions reported).</summary>
    public int ListsCompleted => Volatile.Read(ref listsCompleted);

    private int listsCompleted;

    /// <summary>True once the first list has been delivered to the output.</summary>
    public bool Synced { get; private set; }

    /// <summary>Completes when every change of the first list has been handed to the output.</summary>
    public Task InitialListPublished => initialListPublished.Task;

    /// <summary>
    /// Forgets what was published and relists: every object is sent again. Used when a publish
    /// failed, so a record the broker never acknowledged cannot stay missing.
    /// </summary>
    /// <param name="interruptWatch">
    /// False to relist only when the current watch ends by itself (the server's timeout, a clean
    /// shutdown) instead of cutting it now: the cut costs a connection and an exception per watch.
    /// </param>
    public void RequestResync(bool interruptWatch = true)
    {
        resyncRequested = true;
        if (interruptWatch)
        {
            Interrupt();
        }
    }

    /// <summary>Ends the current watch request; the watcher resumes from where it was (used when credentials rotate).</summary>
    public void Interrupt()
    {
        lock (attemptLock)
        {
            attempt?.Cancel();
        }
    }

    /// <summary>The identities of the objects this watcher has published and not seen deleted (call when stopped).</summary>
    public IReadOnlyList<JsonElement> Known() => [.. seen.Keys.Select(Identity)];

    /// <summary>Lists and watches until <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var backoff = new RetryBackoff(settings.MinBackoff, settings.MaxBackoff);
        while (!cancellationToken.IsCancellationRequested)
        {
            using var current = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            lock (attemptLock)
            {
                attempt = current;
            }

            TimeSpan? delay = null;
            try
            {
                if (resyncRequested)
                {
                    resyncRequested = false;
                    seen.Clear();
                    resumeFrom = null;
                }

                resumeFrom ??= await RelistAsync(current.Token);
                health.Succeeded();
                var started = timeProvider.GetTimestamp();
                var events = await WatchAsync(current.Token);
                health.Succeeded();
                backoff.Reset();
                if (events == 0 && !resyncRequested && timeProvider.GetElapsedTime(started) < TimeSpan.FromSeconds(1))
                {
                    // A server that ends every watch at once must not be hammered in a loop (a
                    // requested resync is ours, not the server's: it relists at once).
                    delay = backoff.Next();
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Interrupted (credentials rotated, resync requested): go round again.
            }
            catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                // The resource is no longer served (its CRD was removed); rediscovery starts it again if it returns.
                Log.ResourceGone(logger, cluster, resource.ToString());
                Synced = true;
                return;
            }
            catch (KubeApiException e) when (e.IsGone)
            {
                Log.WatchExpired(logger, cluster, resource.ToString(), resumeFrom);
                resumeFrom = null;
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or JsonException)
            {
                health.Failed(e);
                delay = e is KubeApiException { RetryAfter: { } retryAfter } ? Max(retryAfter, settings.MinBackoff) : backoff.Next();
                Log.WatchFailed(logger, cluster, resource.ToString(), delay.Value, e.Message);
            }
            finally
            {
                lock (attemptLock)
                {
                    attempt = null;
                }
            }

            if (delay is { } wait)
            {
                await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<string> RelistAsync(CancellationToken cancellationToken)
    {
        Relists++;
        var current = new HashSet<string>(StringComparer.Ordinal);
        var changed = new List<Listed>();
        var resourceVersion = "";
        var api = client();

        // The next page is requested before this one is handed over, so the API server prepares it
        // (and the client parses it) while this one is published: at most two pages are held.
        Task<KubeListPage>? next = api.ListPageAsync(resource, settings.PageSize, null, cancellationToken: cancellationToken);
        try
        {
            while (next is not null)
            {
                var requested = next;
                next = null;
                using var page = await requested;
                next = page.Continue is { } continueToken ? api.ListPageAsync(resource, settings.PageSize, continueToken, cancellationToken: cancellationToken) : null;
                changed.Clear();
                foreach (var item in page.Items)
                {
                    var key = Key(item);
                    current.Add(key);
                    var version = ResourceVersion(item);
                    if (!seen.TryGetValue(key, out var known) || known != version)
                    {
                        changed.Add(new Listed(item, key, version));
                    }
                }

                await HandOverAsync(changed, cancellationToken);
                resourceVersion = page.ResourceVersion;
            }
        }
        finally
        {
            if (next is not null)
            {
                // The list failed or was interrupted with a page still coming: wait for it (its request
                // ends with the same cancellation or its deadline) and free it, so that no parsed page
                // and no unobserved failure is left behind.
                try
                {
                    (await next).Dispose();
                }
                catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or JsonException or OperationCanceledException)
                {
                    Log.PrefetchDropped(logger, cluster, resource.ToString(), e.Message);
                }
            }
        }

        // Deleted while nobody watched (a dropped watch, a 410, an outage): report them now.
        var gone = seen.Keys.Where(key => !current.Contains(key)).ToList();
        foreach (var key in gone)
        {
            seen.Remove(key);
            await output(new ResourceChange(resource, Identity(key), Deleted: true, FromList: true, this), cancellationToken);
        }

        Synced = true;
        Interlocked.Increment(ref listsCompleted);
        initialListPublished.TrySetResult();
        Log.Listed(logger, cluster, resource.ToString(), current.Count, gone.Count, resourceVersion);
        return resourceVersion;
    }

    /// <summary>
    /// Hands a page's new or changed objects to the output. They are distinct objects, so their order
    /// does not matter: a long page is split between up to <see cref="WatchSettings.ListParallelism"/>
    /// workers (a relist of the host's pods carries half a fleet through one watcher). An object
    /// counts as published, and is skipped by the next relist, only once the output has taken it.
    /// </summary>
    private async Task HandOverAsync(List<Listed> changed, CancellationToken cancellationToken)
    {
        var workers = Math.Min(settings.ListParallelism, changed.Count / MinObjectsPerWorker);
        if (workers <= 1)
        {
            foreach (var listed in changed)
            {
                await output(new ResourceChange(resource, listed.Item, Deleted: false, FromList: true, this), cancellationToken);
                seen[listed.Key] = listed.Version;
            }

            return;
        }

        var taken = new bool[changed.Count];
        var share = (changed.Count + workers - 1) / workers;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(
                async () =>
                {
                    for (var i = worker * share; i < Math.Min(changed.Count, (worker + 1) * share); i++)
                    {
                        await output(new ResourceChange(resource, changed[i].Item, Deleted: false, FromList: true, this), cancellationToken);
                        taken[i] = true;
                    }
                },
                cancellationToken)));
        }
        finally
        {
            // Every worker has ended (Task.WhenAll waits for all, failed or not): record what was taken.
            for (var i = 0; i < changed.Count; i++)
            {
                if (taken[i])
                {
                    seen[changed[i].Key] = changed[i].Version;
                }
            }
        }
    }

    private async Task<int> WatchAsync(CancellationToken cancellationToken)
    {
        var events = 0;
        var timeout = settings.WatchTimeout + TimeSpan.FromSeconds(Random.Shared.NextDouble() * settings.WatchTimeout.TotalSeconds);
        await foreach (var change in client().WatchAsync(resource, resumeFrom!, (int)timeout.TotalSeconds, cancellationToken))
        {
            using (change)
            {
                events++;
                switch (change.Type)
                {
                    case "ADDED" or "MODIFIED":
                        seen[Key(change.Value)] = ResourceVersion(change.Value);
                        await output(new ResourceChange(resource, change.Value, Deleted: false, FromList: false, this), cancellationToken);
                        break;
                    case "DELETED":
                        seen.Remove(Key(change.Value));
                        await output(new ResourceChange(resource, change.Value, Deleted: true, FromList: false, this), cancellationToken);
                        break;
                    case "BOOKMARK":
                        break;
                    case "ERROR":
                        throw change.ToException();
                    default:
                        throw new KubeApiException(HttpStatusCode.BadGateway, "InvalidWatchEvent", $"unknown watch event type {change.Type}");
                }

                if (change.ResourceVersion is { Length: > 0 } version)
                {
                    resumeFrom = version;
                }
            }
        }

        return events;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private readonly record struct Listed(JsonElement Item, string Key, string Version);

    private static string Key(JsonElement obj)
    {
        var metadata = obj.Get("metadata"u8);
        var ns = metadata.Text("namespace"u8);
        var name = metadata.Text("name"u8) ?? "";
        return string.IsNullOrEmpty(ns) ? name : string.Concat(ns, "/", name);
    }

    private static string ResourceVersion(JsonElement obj) => obj.Get("metadata"u8).Text("resourceVersion"u8) ?? "";

    private JsonElement Identity(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion", resource.ApiVersion);
            writer.WriteString("kind", resource.Kind);
            writer.WriteStartObject("metadata");
            if (slash >= 0)
            {
                writer.WriteString("namespace", key[..slash]);
            }

            writer.WriteString("name", slash < 0 ? key : key[(slash + 1)..]);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
