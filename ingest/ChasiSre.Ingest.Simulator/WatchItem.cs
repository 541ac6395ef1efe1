namespace ChasiSre.Ingest.Simulator;

internal enum WatchItemType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
}

/// <summary>An event as one watcher sees it (selector transitions already applied), or a bookmark.</summary>
internal readonly record struct WatchItem(WatchItemType Type, StoredObject? Object, long BookmarkResourceVersion);

/// <summary>A change in the store, kept in the watch history.</summary>
internal sealed record StoreEvent(WatchItemType Type, StoredObject Object, StoredObject? Previous);
