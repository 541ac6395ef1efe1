using System.Threading.Channels;

namespace ChasiSre.Ingest.Simulator;

/// <summary>
/// One open watch: a bounded queue the store fills (under its lock, so in resourceVersion
/// order) and the HTTP handler drains. A watcher that falls <see cref="ApiServerSimulatorOptions.WatchBufferSize"/>
/// events behind is closed, as the real apiserver closes unresponsive watchers.
/// </summary>
internal sealed class Watcher : IDisposable
{
    private readonly Channel<WatchItem> _queue;
    private readonly CancellationTokenSource _dropped = new();
    private readonly Lock _gate = new();
    private bool _disposed;

    public Watcher(string storageKey, string? @namespace, Func<StoredObject, bool> filter, int capacity)
    {
        StorageKey = storageKey;
        Namespace = @namespace;
        Filter = filter;
        _queue = Channel.CreateBounded<WatchItem>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public string StorageKey { get; }

    public string? Namespace { get; }

    public Func<StoredObject, bool> Filter { get; }

    public ChannelReader<WatchItem> Reader => _queue.Reader;

    /// <summary>Cancelled when the watch must end abruptly (DropWatches, restart).</summary>
    public CancellationToken Dropped => _dropped.Token;

    /// <summary>True when the watcher was closed because it fell too far behind.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>Offers a store change; see <see cref="Project"/>.</summary>
    public void Offer(StoreEvent change)
    {
        if (Project(change) is { } item)
        {
            Write(item);
        }
    }

    /// <summary>
    /// What this watch shows of a store change: nothing outside its namespace or selection;
    /// a change into the selection is ADDED, out of it DELETED, like the real watch cache.
    /// </summary>
    public WatchItem? Project(StoreEvent change)
    {
        if (Namespace is not null && change.Object.Namespace != Namespace)
        {
            return null;
        }

        var now = change.Type != WatchItemType.Deleted && Filter(change.Object);
        var before = change.Type switch
        {
            WatchItemType.Added => false,
            WatchItemType.Deleted => Filter(change.Object),
            _ => change.Previous is not null && Filter(change.Previous),
        };
        return (before, now) switch
        {
            (false, true) => new WatchItem(WatchItemType.Added, change.Object, 0),
            (true, true) => new WatchItem(WatchItemType.Modified, change.Object, 0),
            (true, false) => new WatchItem(WatchItemType.Deleted, change.Object, 0),
            _ => null,
        };
    }

    public void Bookmark(long resourceVersion) => Write(new WatchItem(WatchItemType.Bookmark, null, resourceVersion));

    /// <summary>Ends the stream after what is queued (timeout, overflow).</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>Ends the stream now, without a clean end of the HTTP response.</summary>
    public void Drop()
    {
        _queue.Writer.TryComplete();
        lock (_gate)
        {
            if (!_disposed)
            {
                _dropped.Cancel();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _dropped.Dispose();
        }
    }

    private void Write(WatchItem item)
    {
        if (!_queue.Writer.TryWrite(item) && _queue.Writer.TryComplete())
        {
            Overflowed = true;
        }
    }
}
