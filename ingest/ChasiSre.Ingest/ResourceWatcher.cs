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
/// relist. Each change is handed to the output before the next is read, so a slow publisher
/// slows the watch (TCP flow control) instead of growing memory: at most one list page per
/// watcher is held.
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
    }

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
    public void RequestResync()
    {
        resyncRequested = true;
        Interrupt();
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
                if (events == 0 && timeProvider.GetElapsedTime(started) < TimeSpan.FromSeconds(1))
                {
                    // A server that ends every watch at once must not be hammered in a loop.
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
        string? continueToken = null;
        string resourceVersion;
        var api = client();
        do
        {
            using var page = await api.ListPageAsync(resource, settings.PageSize, continueToken, cancellationToken: cancellationToken);
            foreach (var item in page.Items)
            {
                var key = Key(item);
                current.Add(key);
                var version = ResourceVersion(item);
                if (seen.TryGetValue(key, out var known) && known == version)
                {
                    continue;
                }

                seen[key] = version;
                await output(new ResourceChange(resource, item, Deleted: false, FromList: true, this), cancellationToken);
            }

            continueToken = page.Continue;
            resourceVersion = page.ResourceVersion;
        }
        while (continueToken is not null);

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

    private static string Key(JsonElement obj)
    {
        var metadata = obj.Get("metadata");
        var ns = metadata.Text("namespace");
        var name = metadata.Text("name") ?? "";
        return string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";
    }

    private static string ResourceVersion(JsonElement obj) => obj.Get("metadata").Text("resourceVersion") ?? "";

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
