using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChasiSre.Schemas.V1;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Ingest;

/// <summary>
/// Turns what a watcher saw into wire records: an <see cref="ObjectSnapshot"/> or
/// <see cref="ObjectTombstone"/> for objects, a <see cref="KubeEvent"/> for Events. Drops
/// <c>managedFields</c> and <c>last-applied-configuration</c>; never lets a Secret's values out
/// (only its key names), and a ConfigMap's values only when <see cref="IngestOptions.IncludeConfigMapData"/>
/// is set; links vCluster twins in both directions.
/// </summary>
public sealed class ObjectNormalizer
{
    private const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";
    private readonly ClusterIdentity identity;
    private readonly ITenantResolver tenants;
    private readonly bool includeConfigMapData;
    private readonly int maxAnnotationBytes;

    /// <summary>Creates a normalizer for one cluster.</summary>
    public ObjectNormalizer(ClusterIdentity identity, ITenantResolver tenants, bool includeConfigMapData, int maxAnnotationBytes = 4096)
    {
        this.identity = identity;
        this.tenants = tenants;
        this.includeConfigMapData = includeConfigMapData;
        this.maxAnnotationBytes = maxAnnotationBytes;
    }

    /// <summary>The cluster this normalizer stamps on every record.</summary>
    public ClusterIdentity Identity => identity;

    /// <summary>The reference of an object of <paramref name="resource"/> in this cluster, twin included.</summary>
    public ObjectRef Reference(KubeResource resource, JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(obj);
        var metadata = obj["metadata"] as JsonObject;
        var ns = resource.Namespaced ? Text(metadata, "namespace") : null;
        var name = Text(metadata, "name") ?? "";
        var reference = identity.Ref(resource.ApiVersion, resource.Kind, ns, name, Text(metadata, "uid"), TenantOf(ns));
        var twin = Twin(resource, ns, name, metadata);
        if (twin is not null)
        {
            reference.Twin = twin;
        }

        return reference;
    }

    /// <summary>The snapshot of an object seen by list or watch.</summary>
    public ObjectSnapshot Snapshot(KubeResource resource, JsonObject obj, bool fromList, DateTimeOffset observedAt)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(obj);
        var reference = Reference(resource, obj);
        var metadata = obj["metadata"] as JsonObject ?? [];
        metadata.Remove("managedFields");
        var snapshot = new ObjectSnapshot
        {
            Ref = reference,
            ResourceVersion = Text(metadata, "resourceVersion") ?? "",
            Generation = metadata["generation"] is JsonValue generation && generation.TryGetValue<long>(out var g) ? g : 0,
            ObservedAt = Timestamp.FromDateTimeOffset(observedAt),
            FromList = fromList,
        };
        if (Time(Text(metadata, "creationTimestamp")) is { } created)
        {
            snapshot.CreatedAt = created;
        }

        if (metadata["labels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                snapshot.Labels[key] = Scalar(value);
            }
        }

        if (metadata["annotations"] is JsonObject annotations)
        {
            annotations.Remove(LastApplied);
            foreach (var (key, value) in annotations)
            {
                var text = Scalar(value);
                if (text.Length <= maxAnnotationBytes)
                {
                    snapshot.Annotations[key] = text;
                }
            }
        }

        if (metadata["ownerReferences"] is JsonArray owners)
        {
            foreach (var owner in owners.OfType<JsonObject>())
            {
                snapshot.Owners.Add(new OwnerRef
                {
                    ApiVersion = Text(owner, "apiVersion") ?? "",
                    Kind = Text(owner, "kind") ?? "",
                    Name = Text(owner, "name") ?? "",
                    Uid = Text(owner, "uid") ?? "",
                    Controller = owner["controller"] is JsonValue c && c.TryGetValue<bool>(out var isController) && isController,
                });
            }
        }

        obj["apiVersion"] = resource.ApiVersion;
        obj["kind"] = resource.Kind;
        RemoveValues(resource, obj);
        snapshot.ObjectJson = Google.Protobuf.ByteString.CopyFrom(Utf8(obj));
        return snapshot;
    }

    /// <summary>The tombstone of a deleted object.</summary>
    public ObjectTombstone Tombstone(KubeResource resource, JsonObject obj, DateTimeOffset deletedAt)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(obj);
        return new ObjectTombstone
        {
            Ref = Reference(resource, obj),
            ResourceVersion = Text(obj["metadata"] as JsonObject, "resourceVersion") ?? "",
            DeletedAt = Timestamp.FromDateTimeOffset(deletedAt),
        };
    }

    /// <summary>A core/v1 Event as a <see cref="KubeEvent"/>.</summary>
    public KubeEvent Event(JsonObject obj, DateTimeOffset observedAt)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var metadata = obj["metadata"] as JsonObject;
        var ns = Text(metadata, "namespace");
        var involved = obj["involvedObject"] as JsonObject;
        var involvedNamespace = Text(involved, "namespace");
        var series = obj["series"] as JsonObject;
        var count = obj["count"] is JsonValue c && c.TryGetValue<int>(out var n) ? n
            : series?["count"] is JsonValue sc && sc.TryGetValue<int>(out var sn) ? sn : 1;
        var first = Time(Text(obj, "firstTimestamp")) ?? Time(Text(obj, "eventTime")) ?? Time(Text(metadata, "creationTimestamp")) ?? Timestamp.FromDateTimeOffset(observedAt);
        var last = Time(Text(series, "lastObservedTime")) ?? Time(Text(obj, "lastTimestamp")) ?? Time(Text(obj, "eventTime")) ?? first;
        var source = obj["source"] as JsonObject;
        return new KubeEvent
        {
            Event = identity.Ref("v1", "Event", ns, Text(metadata, "name") ?? "", Text(metadata, "uid"), TenantOf(ns)),
            Involved = identity.Ref(Text(involved, "apiVersion") ?? "", Text(involved, "kind") ?? "", involvedNamespace, Text(involved, "name") ?? "", Text(involved, "uid"), TenantOf(involvedNamespace)),
            Reason = Text(obj, "reason") ?? "",
            Message = Text(obj, "message") ?? "",
            Type = Text(obj, "type") ?? "Normal",
            Count = Math.Max(count, 1),
            FirstSeen = first,
            LastSeen = last,
            ReportingComponent = Text(obj, "reportingComponent") is { Length: > 0 } component ? component : Text(source, "component") ?? "",
            ReportingInstance = Text(obj, "reportingInstance") is { Length: > 0 } instance ? instance : Text(source, "host") ?? "",
            Action = Text(obj, "action") ?? "",
        };
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? writer;

    private static ReadOnlySpan<byte> Utf8(JsonObject obj)
    {
        buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        buffer.ResetWrittenCount();
        if (writer is null)
        {
            writer = new Utf8JsonWriter(buffer);
        }
        else
        {
            writer.Reset(buffer);
        }

        obj.WriteTo(writer);
        writer.Flush();
        return buffer.WrittenSpan;
    }

    private string TenantOf(string? @namespace) => identity.Layer == Layer.Host ? tenants.TenantOfHostNamespace(@namespace) : identity.Tenant;

    private ObjectRef? Twin(KubeResource resource, string? ns, string name, JsonObject? metadata)
    {
        if (identity.Layer == Layer.Host)
        {
            // A host object the syncer created: its virtual original is named in the annotations.
            var vcluster = Text(metadata?["labels"] as JsonObject, VClusterNaming.ManagedByLabel);
            var annotations = metadata?["annotations"] as JsonObject;
            var virtualName = Text(annotations, VClusterNaming.ObjectNameAnnotation);
            if (string.IsNullOrEmpty(vcluster) || string.IsNullOrEmpty(virtualName))
            {
                return null;
            }

            return new ObjectRef
            {
                Cluster = vcluster,
                Tenant = tenants.TenantOfVCluster(ns ?? "", vcluster),
                Layer = Layer.Virtual,
                ApiVersion = resource.ApiVersion,
                Kind = KindOf(Text(annotations, VClusterNaming.ObjectKindAnnotation)) ?? resource.Kind,
                Namespace = Text(annotations, VClusterNaming.ObjectNamespaceAnnotation) ?? "",
                Name = virtualName,
                Uid = Text(annotations, VClusterNaming.ObjectUidAnnotation) ?? "",
                HostCluster = identity.HostCluster,
                HostNamespace = ns ?? "",
            };
        }

        // A virtual object the syncer copies to the host: its twin's name follows from the naming rule.
        if (identity.Layer != Layer.Virtual || ns is null || !TwinnedKinds.Contains(resource.Kind))
        {
            return null;
        }

        return new ObjectRef
        {
            Cluster = identity.HostCluster,
            Tenant = identity.Tenant,
            Layer = Layer.Host,
            ApiVersion = resource.ApiVersion,
            Kind = resource.Kind,
            Namespace = identity.HostNamespace,
            Name = VClusterNaming.HostName(name, ns, identity.Cluster),
            HostCluster = identity.HostCluster,
        };
    }

    // ConfigMaps and Secrets reach the host only when a pod uses them, so their twin is not certain.
    private static readonly HashSet<string> TwinnedKinds = new(["Pod", "Service", "Endpoints", "PersistentVolumeClaim"], StringComparer.Ordinal);

    private void RemoveValues(KubeResource resource, JsonObject obj)
    {
        var isSecret = resource.Group.Length == 0 && resource.Kind == "Secret";
        var isConfigMap = resource.Group.Length == 0 && resource.Kind == "ConfigMap";
        if (!isSecret && !(isConfigMap && !includeConfigMapData))
        {
            if (isConfigMap)
            {
                obj.Remove("binaryData");
            }

            return;
        }

        // Key names stay (a pod that needs a missing key is a finding); values never leave.
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var field in (string[])["data", "stringData", "binaryData"])
        {
            if (obj[field] is JsonObject values)
            {
                foreach (var (key, _) in values)
                {
                    keys.Add(key);
                }
            }

            obj.Remove(field);
        }

        obj["dataKeys"] = new JsonArray([.. keys.Select(k => (JsonNode?)JsonValue.Create(k))]);
    }

    // The syncer writes Go's GroupVersionKind string: "/v1, Kind=Pod".
    private static string? KindOf(string? annotation) =>
        annotation?.LastIndexOf("Kind=", StringComparison.Ordinal) is { } at and >= 0 ? annotation[(at + 5)..] : null;

    private static string? Text(JsonObject? obj, string property) =>
        obj?[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "",
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => node.ToJsonString(),
    };

    private static Timestamp? Time(string? text) =>
        !string.IsNullOrEmpty(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? Timestamp.FromDateTimeOffset(at)
            : null;
}
