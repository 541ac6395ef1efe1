using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection;

/// <summary>
/// An <see cref="IClusterState"/> kept in memory: objects indexed by cluster, kind, namespace and name (and by owner and
/// by node for the lookups detectors make most), events indexed by involved object, the last lines of each pod's log.
/// Every lookup is a dictionary hit plus the size of its answer; nothing scans the whole state.
/// </summary>
/// <remarks>Thread-safe: any number of readers and writers (one lock, held only for the dictionary work; answers are
/// copies or read-only snapshots, so a reader never sees a collection change under it). The streams topology has one writer per partition;
/// <c>chasi analyze</c> fills it once and reads it.</remarks>
public sealed class InMemoryClusterState : IClusterState
{
    private readonly Lock gate = new();
    private readonly Dictionary<ObjectKey, KubeObject> objects = [];
    private readonly Dictionary<(string Cluster, string Kind), Dictionary<string, HashSet<ObjectKey>>> byKind = [];
    private readonly Dictionary<(string Cluster, string Namespace, string OwnerKind, string OwnerName), HashSet<ObjectKey>> byOwner = [];
    private readonly Dictionary<(string Cluster, string Node), HashSet<ObjectKey>> podsByNode = [];
    private readonly Dictionary<ObjectKey, Dictionary<ObjectKey, KubeEvent>> eventsByInvolved = [];
    private readonly Dictionary<ObjectKey, ObjectKey> involvedOfEvent = [];
    private readonly Dictionary<ObjectKey, Dictionary<(string Container, bool Previous), LogRecord[]>> logs = [];
    private readonly Dictionary<string, int> clusters = new(StringComparer.Ordinal);
    private readonly int maxLogLinesPerContainer;
    private System.Collections.ObjectModel.ReadOnlyCollection<string>? clusterNames;
    private DateTimeOffset now;

    /// <summary>Creates an empty state judged at <paramref name="now"/>.</summary>
    /// <param name="now">The time detectors judge against until <see cref="SetNow"/> moves it.</param>
    /// <param name="maxLogLinesPerContainer">How many of the newest lines are kept per container and instance (current or previous).</param>
    public InMemoryClusterState(DateTimeOffset now, int maxLogLinesPerContainer = 200)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLogLinesPerContainer, 1);
        this.now = now;
        this.maxLogLinesPerContainer = maxLogLinesPerContainer;
    }

    /// <inheritdoc />
    public DateTimeOffset Now
    {
        get
        {
            lock (gate)
            {
                return now;
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> Clusters
    {
        get
        {
            lock (gate)
            {
                // Asked by detectors on every evaluation; the set changes only when a cluster comes or goes.
                return clusterNames ??= Array.AsReadOnly(clusters.Keys.Order(StringComparer.Ordinal).ToArray());
            }
        }
    }

    /// <summary>Number of objects held.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return objects.Count;
            }
        }
    }

    /// <summary>Moves the clock detectors judge against (the time of the record being processed).</summary>
    public void SetNow(DateTimeOffset value)
    {
        lock (gate)
        {
            now = value;
        }
    }

    /// <summary>Adds or replaces an object (by cluster, kind, namespace and name).</summary>
    public void Apply(KubeObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var key = ObjectKey.Of(obj.Ref);
        lock (gate)
        {
            if (objects.Remove(key, out var previous))
            {
                Unindex(key, previous);
            }
            else if (clusters.TryGetValue(key.Cluster, out var count))
            {
                clusters[key.Cluster] = count + 1;
            }
            else
            {
                clusters[key.Cluster] = 1;
                clusterNames = null;
            }

            objects[key] = obj;
            Index(key, obj);
        }
    }

    /// <summary>Adds or replaces an object from an ingest snapshot.</summary>
    public void Apply(ObjectSnapshot snapshot) => Apply(KubeObject.FromSnapshot(snapshot));

    /// <summary>Removes an object; its events and logs go with it. False when it was not there.</summary>
    public bool Remove(ObjectRef reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var key = ObjectKey.Of(reference);
        lock (gate)
        {
            if (!objects.Remove(key, out var previous))
            {
                return false;
            }

            Unindex(key, previous);
            if (--clusters[key.Cluster] == 0)
            {
                clusters.Remove(key.Cluster);
                clusterNames = null;
            }

            if (eventsByInvolved.Remove(key, out var events))
            {
                foreach (var eventKey in events.Keys)
                {
                    involvedOfEvent.Remove(eventKey);
                }
            }

            logs.Remove(key);
            return true;
        }
    }

    /// <summary>Adds or replaces an event (by the Event object's identity: a repeated event updates its count).</summary>
    public void AddEvent(KubeEvent kubeEvent)
    {
        ArgumentNullException.ThrowIfNull(kubeEvent);
        ArgumentNullException.ThrowIfNull(kubeEvent.Involved);
        var involved = ObjectKey.Of(kubeEvent.Involved);
        var eventKey = kubeEvent.Event is { } e ? ObjectKey.Of(e) : new ObjectKey(involved.Cluster, "Event", involved.Namespace, $"{involved.Kind}/{involved.Name}/{kubeEvent.Reason}");
        lock (gate)
        {
            if (involvedOfEvent.TryGetValue(eventKey, out var previousInvolved) && previousInvolved != involved
                && eventsByInvolved.TryGetValue(previousInvolved, out var previousSet))
            {
                previousSet.Remove(eventKey);
            }

            if (!eventsByInvolved.TryGetValue(involved, out var set))
            {
                set = [];
                eventsByInvolved[involved] = set;
            }

            set[eventKey] = kubeEvent;
            involvedOfEvent[eventKey] = involved;
        }
    }

    /// <summary>Removes an event (its Event object was deleted or expired).</summary>
    public bool RemoveEvent(ObjectRef eventObject)
    {
        ArgumentNullException.ThrowIfNull(eventObject);
        var eventKey = ObjectKey.Of(eventObject);
        lock (gate)
        {
            return involvedOfEvent.Remove(eventKey, out var involved)
                && eventsByInvolved.TryGetValue(involved, out var set) && set.Remove(eventKey);
        }
    }

    /// <summary>Appends one log line (the streams topology's case: one record, one line) as <see cref="AddLogs"/> does, without
    /// grouping: ignored when a line with its id is already kept, and only the newest lines per container and instance stay.</summary>
    public void AddLog(LogRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(record.Source);
        var pod = ObjectKey.Of(record.Source);
        var container = (record.Container, record.Previous);
        lock (gate)
        {
            if (!logs.TryGetValue(pod, out var byContainer))
            {
                byContainer = [];
                logs[pod] = byContainer;
            }

            var existing = byContainer.GetValueOrDefault(container) ?? [];
            if (record.Id.Length > 0)
            {
                for (var i = existing.Length - 1; i >= 0; i--)
                {
                    if (string.Equals(existing[i].Id, record.Id, StringComparison.Ordinal))
                    {
                        return;
                    }
                }
            }

            var keep = Math.Min(existing.Length, maxLogLinesPerContainer - 1);
            var merged = new LogRecord[keep + 1];
            Array.Copy(existing, existing.Length - keep, merged, 0, keep);
            merged[keep] = record;
            byContainer[container] = merged;
        }
    }

    /// <summary>Appends log lines of one pod; only the newest lines per container and instance are kept.</summary>
    public void AddLogs(IEnumerable<LogRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var group in records.GroupBy(r => (Pod: ObjectKey.Of(r.Source), r.Container, r.Previous)))
        {
            lock (gate)
            {
                if (!logs.TryGetValue(group.Key.Pod, out var byContainer))
                {
                    byContainer = [];
                    logs[group.Key.Pod] = byContainer;
                }

                var existing = byContainer.GetValueOrDefault((group.Key.Container, group.Key.Previous)) ?? [];
                var seen = existing.Select(r => r.Id).Where(id => id.Length > 0).ToHashSet(StringComparer.Ordinal);
                var merged = existing.Concat(group.Where(r => r.Id.Length == 0 || seen.Add(r.Id))).ToArray();
                byContainer[(group.Key.Container, group.Key.Previous)] = merged.Length > maxLogLinesPerContainer ? merged[^maxLogLinesPerContainer..] : merged;
            }
        }
    }

    /// <summary>Replaces what is known of one container's log (current or previous instance) with <paramref name="records"/>.</summary>
    public void SetLogs(ObjectRef pod, string container, bool previous, IEnumerable<LogRecord> records)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(records);
        var lines = records.ToArray();
        var key = ObjectKey.Of(pod);
        lock (gate)
        {
            if (!logs.TryGetValue(key, out var byContainer))
            {
                byContainer = [];
                logs[key] = byContainer;
            }

            byContainer[(container, previous)] = lines.Length > maxLogLinesPerContainer ? lines[^maxLogLinesPerContainer..] : lines;
        }
    }

    /// <inheritdoc />
    public KubeObject? Find(string cluster, string kind, string? objectNamespace, string name)
    {
        lock (gate)
        {
            return objects.GetValueOrDefault(new ObjectKey(cluster, kind, objectNamespace ?? "", name));
        }
    }

    /// <inheritdoc />
    public IEnumerable<KubeObject> List(string cluster, string kind, string? objectNamespace = null)
    {
        lock (gate)
        {
            if (!byKind.TryGetValue((cluster, kind), out var namespaces))
            {
                return [];
            }

            if (objectNamespace is not null)
            {
                return namespaces.TryGetValue(objectNamespace, out var keys) ? [.. keys.Select(k => objects[k])] : [];
            }

            return [.. namespaces.Values.SelectMany(keys => keys).Select(k => objects[k])];
        }
    }

    /// <inheritdoc />
    public IEnumerable<KubeObject> ListOwnedBy(ObjectRef owner, string kind)
    {
        ArgumentNullException.ThrowIfNull(owner);
        lock (gate)
        {
            if (!byOwner.TryGetValue((owner.Cluster, owner.Namespace, owner.Kind, owner.Name), out var keys))
            {
                return [];
            }

            return [.. keys.Where(k => k.Kind == kind).Select(k => objects[k])
                .Where(o => KubeJson.OwnerReferences(o.Json).Any(r => IClusterState.OwnerMatches(r, owner)))];
        }
    }

    /// <inheritdoc />
    public IEnumerable<KubeObject> PodsOnNode(string cluster, string node)
    {
        lock (gate)
        {
            return podsByNode.TryGetValue((cluster, node), out var keys) ? [.. keys.Select(k => objects[k])] : [];
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<KubeEvent> Events(ObjectRef involved)
    {
        ArgumentNullException.ThrowIfNull(involved);
        lock (gate)
        {
            if (!eventsByInvolved.TryGetValue(ObjectKey.Of(involved), out var set))
            {
                return [];
            }

            var matching = new List<KubeEvent>(set.Count);
            var ordered = true;
            var last = DateTimeOffset.MinValue;
            foreach (var e in set.Values)
            {
                if (e.Involved.Uid.Length == 0 || involved.Uid.Length == 0 || e.Involved.Uid == involved.Uid)
                {
                    var seen = LastSeen(e);
                    ordered &= seen >= last;
                    last = seen > last ? seen : last;
                    matching.Add(e);
                }
            }

            // Events mostly arrive in time order: sort (stably, as before) only when they did not.
            return ordered ? matching : [.. matching.OrderBy(LastSeen)];
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<LogRecord> Logs(ObjectRef pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        lock (gate)
        {
            if (!logs.TryGetValue(ObjectKey.Of(pod), out var byContainer))
            {
                return [];
            }

            // Previous (crashed) instances first, then current; each container's lines in order.
            if (byContainer.Count == 1)
            {
                return [.. byContainer.Values.First()];
            }

            return [.. byContainer.OrderBy(p => p.Key.Previous ? 0 : 1).ThenBy(p => p.Key.Container, StringComparer.Ordinal).SelectMany(p => p.Value)];
        }
    }

    private static DateTimeOffset LastSeen(KubeEvent e) => e.LastSeen?.ToDateTimeOffset() ?? DateTimeOffset.MinValue;

    private void Index(ObjectKey key, KubeObject obj)
    {
        if (!byKind.TryGetValue((key.Cluster, key.Kind), out var namespaces))
        {
            namespaces = new Dictionary<string, HashSet<ObjectKey>>(StringComparer.Ordinal);
            byKind[(key.Cluster, key.Kind)] = namespaces;
        }

        Add(namespaces, key.Namespace, key);
        foreach (var owner in KubeJson.OwnerReferences(obj.Json))
        {
            Add(byOwner, (key.Cluster, key.Namespace, owner.Kind, owner.Name), key);
        }

        if (key.Kind == "Pod" && KubeJson.Str(obj.Json, "spec", "nodeName") is { Length: > 0 } node)
        {
            Add(podsByNode, (key.Cluster, node), key);
        }
    }

    private void Unindex(ObjectKey key, KubeObject obj)
    {
        if (byKind.TryGetValue((key.Cluster, key.Kind), out var namespaces))
        {
            Drop(namespaces, key.Namespace, key);
        }

        foreach (var owner in KubeJson.OwnerReferences(obj.Json))
        {
            Drop(byOwner, (key.Cluster, key.Namespace, owner.Kind, owner.Name), key);
        }

        if (key.Kind == "Pod" && KubeJson.Str(obj.Json, "spec", "nodeName") is { Length: > 0 } node)
        {
            Drop(podsByNode, (key.Cluster, node), key);
        }
    }

    private static void Add<TKey>(Dictionary<TKey, HashSet<ObjectKey>> index, TKey indexKey, ObjectKey key)
        where TKey : notnull
    {
        if (!index.TryGetValue(indexKey, out var set))
        {
            set = [];
            index[indexKey] = set;
        }

        set.Add(key);
    }

    private static void Drop<TKey>(Dictionary<TKey, HashSet<ObjectKey>> index, TKey indexKey, ObjectKey key)
        where TKey : notnull
    {
        if (index.TryGetValue(indexKey, out var set) && set.Remove(key) && set.Count == 0)
        {
            index.Remove(indexKey);
        }
    }

    private readonly record struct ObjectKey(string Cluster, string Kind, string Namespace, string Name)
    {
        public static ObjectKey Of(ObjectRef reference) => new(reference.Cluster, reference.Kind, reference.Namespace, reference.Name);
    }
}
