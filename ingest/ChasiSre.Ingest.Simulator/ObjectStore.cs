using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Simulator;

/// <summary>
/// The simulated etcd plus watch cache: objects per storage resource, namespace and name,
/// one global resourceVersion counter, a bounded event history for resuming watches, and
/// the open watchers. Every change happens under one lock, so watchers see events in
/// resourceVersion order and a watch registers atomically with the state it starts from.
/// </summary>
internal sealed class ObjectStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<string, SortedDictionary<string, StoredObject>>> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Watcher>> _watchers = new(StringComparer.Ordinal);
    private readonly Queue<StoreEvent> _history = new();
    private readonly int _historyLimit;
    private long _resourceVersion;
    private long _compactedRevision;
    private long _historyFloor;

    public ObjectStore(int historyLimit) => _historyLimit = historyLimit;

    public long ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    /// <summary>Stores <paramref name="obj"/> (owned by the store from now on); fills rv, uid, creationTimestamp and generation.</summary>
    public (StoredObject Stored, bool Created) Put(ResourceType type, JsonObject obj, DateTimeOffset now)
    {
        var metadata = (JsonObject)obj["metadata"]!;
        var name = (string)metadata["name"]!;
        var ns = type.Namespaced ? (string)metadata["namespace"]! : "";
        lock (_gate)
        {
            var byName = NamespaceOf(type.EffectiveStorageKey, ns, create: true)!;
            byName.TryGetValue(name, out var previous);
            if (metadata["uid"] is null)
            {
                metadata["uid"] = previous is not null ? previous.Metadata["uid"]!.DeepClone() : Guid.NewGuid().ToString();
            }

            if (metadata["creationTimestamp"] is null)
            {
                metadata["creationTimestamp"] = previous is not null
                    ? previous.Metadata["creationTimestamp"]!.DeepClone()
                    : now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            }

            long generation = 1;
            if (previous is not null)
            {
                var previousGeneration = (long?)previous.Metadata["generation"] ?? 1;
                generation = JsonNode.DeepEquals(previous.Object["spec"], obj["spec"]) ? previousGeneration : previousGeneration + 1;
            }

            metadata["generation"] = generation;
            metadata["resourceVersion"] = (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var stored = new StoredObject(type, obj, _resourceVersion);
            byName[name] = stored;
            Publish(new StoreEvent(previous is null ? WatchItemType.Added : WatchItemType.Modified, stored, previous));
            return (stored, previous is null);
        }
    }

    /// <summary>
    /// An atomic read-modify-write, as the apiserver's GuaranteedUpdate: under the lock,
    /// <paramref name="mutate"/> gets the current object (or null) and returns the object to store, or a
    /// failure. The store then stamps it like the apiserver (uid and creationTimestamp kept from the current
    /// object or new, generation bumped when spec changed, a new resourceVersion), stores it and tells the
    /// watchers, unless <paramref name="dryRun"/>: then nothing is stored, no event is sent, the
    /// resourceVersion does not move, and the result shows what would have been stored (without a
    /// resourceVersion for a create, with the current one for an update).
    /// </summary>
    public StoreWriteResult Mutate(ResourceType type, string? @namespace, string name, DateTimeOffset now, bool dryRun, Func<StoredObject?, StoreMutation> mutate)
    {
        var ns = type.Namespaced ? @namespace ?? "" : "";
        lock (_gate)
        {
            var byName = NamespaceOf(type.EffectiveStorageKey, ns, create: false);
            StoredObject? previous = null;
            byName?.TryGetValue(name, out previous);
            var mutation = mutate(previous);
            if (mutation.Failure is not null || mutation.Object is not { } obj)
            {
                return new StoreWriteResult(null, previous, mutation.Failure);
            }

            var metadata = (JsonObject)obj["metadata"]!;
            metadata["uid"] = previous is not null ? previous.Metadata["uid"]!.DeepClone() : Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = previous?.Metadata["creationTimestamp"]?.DeepClone()
                ?? now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            long generation = 1;
            if (previous is not null)
            {
                var previousGeneration = (long?)previous.Metadata["generation"] ?? 1;
                generation = JsonNode.DeepEquals(previous.Object["spec"], obj["spec"]) ? previousGeneration : previousGeneration + 1;
            }

            metadata["generation"] = generation;
            if (dryRun)
            {
                if (previous is not null)
                {
                    metadata["resourceVersion"] = previous.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                else
                {
                    metadata.Remove("resourceVersion");
                }

                return new StoreWriteResult(obj, previous, null);
            }

            if (previous is not null && JsonNode.DeepEquals(previous.Object, WithResourceVersion(obj, previous.ResourceVersion)))
            {
                // The apiserver skips no-op writes: no new resourceVersion, no watch event.
                return new StoreWriteResult(previous.Object.DeepClone().AsObject(), previous, null);
            }

            metadata["resourceVersion"] = (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var stored = new StoredObject(type, obj, _resourceVersion);
            NamespaceOf(type.EffectiveStorageKey, ns, create: true)![name] = stored;
            Publish(new StoreEvent(previous is null ? WatchItemType.Added : WatchItemType.Modified, stored, previous));
            return new StoreWriteResult(stored.Object.DeepClone().AsObject(), previous, null);
        }
    }

    /// <summary>
    /// Deletes an object if <paramref name="check"/> (given the current object) returns no failure; with
    /// <paramref name="dryRun"/> only checks. Null when there is no such object.
    /// </summary>
    public StoreWriteResult? Remove(ResourceType type, string? @namespace, string name, bool dryRun, Func<StoredObject, JsonObject?> check)
    {
        lock (_gate)
        {
            var current = Find(type, @namespace, name);
            if (current is null)
            {
                return null;
            }

            if (check(current) is { } failure)
            {
                return new StoreWriteResult(null, current, failure);
            }

            if (dryRun)
            {
                return new StoreWriteResult(current.Object.DeepClone().AsObject(), current, null);
            }

            var deleted = Remove(type, @namespace, name)!;
            return new StoreWriteResult(deleted.Object.DeepClone().AsObject(), current, null);
        }
    }

    /// <summary>Every stored object of a namespaced kind in <paramref name="namespace"/>, over all kinds.</summary>
    public List<StoredObject> InNamespace(string @namespace)
    {
        lock (_gate)
        {
            return [.. _objects.Values.SelectMany(byNamespace => byNamespace.TryGetValue(@namespace, out var byName) ? byName.Values : Enumerable.Empty<StoredObject>())];
        }
    }

    /// <summary>Every stored object with an ownerReference to <paramref name="uid"/> (what the garbage collector deletes with it).</summary>
    public List<StoredObject> Dependents(string uid)
    {
        lock (_gate)
        {
            return [.. _objects.Values.SelectMany(n => n.Values).SelectMany(n => n.Values)
                .Where(o => o.Metadata["ownerReferences"] is JsonArray owners && owners.Any(r => r?["uid"]?.GetValue<string>() == uid))];
        }
    }

    public StoredObject? Remove(ResourceType type, string? @namespace, string name)
    {
        lock (_gate)
        {
            var byName = NamespaceOf(type.EffectiveStorageKey, type.Namespaced ? @namespace ?? "" : "", create: false);
            if (byName is null || !byName.Remove(name, out var last))
            {
                return null;
            }

            var tombstone = last.Object.DeepClone().AsObject();
            tombstone["metadata"]!["resourceVersion"] = (++_resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var deleted = new StoredObject(last.Type, tombstone, _resourceVersion);
            Publish(new StoreEvent(WatchItemType.Deleted, deleted, last));
            return deleted;
        }
    }

    public StoredObject? Find(ResourceType type, string? @namespace, string name)
    {
        lock (_gate)
        {
            var byName = NamespaceOf(type.EffectiveStorageKey, type.Namespaced ? @namespace ?? "" : "", create: false);
            return byName is not null && byName.TryGetValue(name, out var stored) ? stored : null;
        }
    }

    /// <summary>
    /// Up to <paramref name="limit"/> objects in key order (namespace, name) after
    /// <paramref name="after"/>, that pass <paramref name="filter"/>; <c>More</c> counts the
    /// matching objects left.
    /// </summary>
    public (long ResourceVersion, List<StoredObject> Items, long Remaining) List(
        ResourceType type, string? @namespace, Func<StoredObject, bool> filter, (string Namespace, string Name)? after, int limit)
    {
        var items = new List<StoredObject>();
        long remaining = 0;
        lock (_gate)
        {
            if (_objects.TryGetValue(type.EffectiveStorageKey, out var byNamespace))
            {
                IEnumerable<string> namespaces = @namespace is not null
                    ? [type.Namespaced ? @namespace : ""]
                    : byNamespace.Keys.Order(StringComparer.Ordinal);
                foreach (var ns in namespaces)
                {
                    if (!byNamespace.TryGetValue(ns, out var byName) || (after is { } a && string.CompareOrdinal(ns, a.Namespace) < 0))
                    {
                        continue;
                    }

                    foreach (var (name, stored) in byName)
                    {
                        if (after is { } start && ns == start.Namespace && string.CompareOrdinal(name, start.Name) <= 0)
                        {
                            continue;
                        }

                        if (!filter(stored))
                        {
                            continue;
                        }

                        if (items.Count < limit)
                        {
                            items.Add(stored);
                        }
                        else
                        {
                            remaining++;
                        }
                    }
                }
            }

            return (_resourceVersion, items, remaining);
        }
    }

    /// <summary>Throws <see cref="GoneException"/> when a continue token's snapshot was compacted away.</summary>
    public void EnsureNotCompacted(long resourceVersion)
    {
        lock (_gate)
        {
            if (resourceVersion < _compactedRevision)
            {
                throw new GoneException(
                    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.");
            }
        }
    }

    /// <summary>
    /// Registers a watcher. With <paramref name="fromResourceVersion"/> null the current
    /// matching objects come back as the initial state; else the history after it does
    /// (or <see cref="GoneException"/> when it is older than the history kept).
    /// </summary>
    public (long ResourceVersion, List<StoredObject> Initial, List<StoreEvent> Replay) Watch(Watcher watcher, ResourceType type, long? fromResourceVersion)
    {
        var initial = new List<StoredObject>();
        var replay = new List<StoreEvent>();
        lock (_gate)
        {
            if (fromResourceVersion is { } from)
            {
                if (from < _historyFloor)
                {
                    throw new GoneException($"too old resource version: {from} ({_historyFloor + 1})");
                }

                foreach (var change in _history)
                {
                    if (change.Object.ResourceVersion > from && change.Object.Type.EffectiveStorageKey == watcher.StorageKey)
                    {
                        replay.Add(change);
                    }
                }
            }
            else if (_objects.TryGetValue(type.EffectiveStorageKey, out var byNamespace))
            {
                foreach (var ns in byNamespace.Keys.Order(StringComparer.Ordinal))
                {
                    if (watcher.Namespace is not null && ns != watcher.Namespace)
                    {
                        continue;
                    }

                    initial.AddRange(byNamespace[ns].Values.Where(watcher.Filter));
                }
            }

            if (!_watchers.TryGetValue(watcher.StorageKey, out var list))
            {
                _watchers[watcher.StorageKey] = list = [];
            }

            list.Add(watcher);
            return (_resourceVersion, initial, replay);
        }
    }

    public void Unwatch(Watcher watcher)
    {
        lock (_gate)
        {
            if (_watchers.TryGetValue(watcher.StorageKey, out var list))
            {
                list.Remove(watcher);
            }
        }
    }

    /// <summary>Queues a bookmark at the current resourceVersion (under the lock, so after every event it covers).</summary>
    public void Bookmark(Watcher watcher)
    {
        lock (_gate)
        {
            watcher.Bookmark(_resourceVersion);
        }
    }

    public List<Watcher> Watchers()
    {
        lock (_gate)
        {
            return [.. _watchers.Values.SelectMany(w => w)];
        }
    }

    /// <summary>etcd compaction at the current revision: history and older continue tokens are gone.</summary>
    public long Compact()
    {
        lock (_gate)
        {
            _compactedRevision = _resourceVersion;
            _historyFloor = _resourceVersion;
            _history.Clear();
            return _resourceVersion;
        }
    }

    private static JsonObject WithResourceVersion(JsonObject obj, long resourceVersion)
    {
        var copy = obj.DeepClone().AsObject();
        copy["metadata"]!["resourceVersion"] = resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return copy;
    }

    private SortedDictionary<string, StoredObject>? NamespaceOf(string storageKey, string ns, bool create)
    {
        if (!_objects.TryGetValue(storageKey, out var byNamespace))
        {
            if (!create)
            {
                return null;
            }

            _objects[storageKey] = byNamespace = new(StringComparer.Ordinal);
        }

        if (!byNamespace.TryGetValue(ns, out var byName) && create)
        {
            byNamespace[ns] = byName = new(StringComparer.Ordinal);
        }

        return byName;
    }

    private void Publish(StoreEvent change)
    {
        _history.Enqueue(change);
        while (_history.Count > _historyLimit)
        {
            _historyFloor = _history.Dequeue().Object.ResourceVersion;
        }

        if (_watchers.TryGetValue(change.Object.Type.EffectiveStorageKey, out var list))
        {
            foreach (var watcher in list)
            {
                watcher.Offer(change);
            }
        }
    }
}
