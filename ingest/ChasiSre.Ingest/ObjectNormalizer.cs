using System.Buffers;
using System.Globalization;
using System.Text.Json;
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
    public ObjectRef Reference(KubeResource resource, JsonElement obj)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var metadata = obj.Get("metadata");
        var ns = resource.Namespaced ? metadata.Text("namespace") : null;
        var name = metadata.Text("name") ?? "";
        var reference = identity.Ref(resource.ApiVersion, resource.Kind, ns, name, metadata.Text("uid"), TenantOf(ns));
        var twin = Twin(resource, ns, name, metadata);
        if (twin is not null)
        {
            reference.Twin = twin;
        }

        return reference;
    }

    /// <summary>The snapshot of an object seen by list or watch.</summary>
    public ObjectSnapshot Snapshot(KubeResource resource, JsonElement obj, bool fromList, DateTimeOffset observedAt)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var metadata = obj.Get("metadata");
        var snapshot = new ObjectSnapshot
        {
            Ref = Reference(resource, obj),
            ResourceVersion = metadata.Text("resourceVersion") ?? "",
            Generation = metadata.Get("generation").Long() ?? 0,
            ObservedAt = Timestamp.FromDateTimeOffset(observedAt),
            FromList = fromList,
        };
        if (Time(metadata.Text("creationTimestamp")) is { } created)
        {
            snapshot.CreatedAt = created;
        }

        foreach (var label in metadata.Get("labels").Properties())
        {
            snapshot.Labels[label.Name] = label.Value.Scalar();
        }

        foreach (var annotation in metadata.Get("annotations").Properties())
        {
            var text = annotation.Value.Scalar();
            if (annotation.Name != LastApplied && text.Length <= maxAnnotationBytes)
            {
                snapshot.Annotations[annotation.Name] = text;
            }
        }

        foreach (var owner in metadata.Get("ownerReferences").Items())
        {
            snapshot.Owners.Add(new OwnerRef
            {
                ApiVersion = owner.Text("apiVersion") ?? "",
                Kind = owner.Text("kind") ?? "",
                Name = owner.Text("name") ?? "",
                Uid = owner.Text("uid") ?? "",
                Controller = ((JsonElement?)owner).Get("controller").Bool() ?? false,
            });
        }

        snapshot.ObjectJson = Google.Protobuf.ByteString.CopyFrom(Write(resource, obj));
        return snapshot;
    }

    /// <summary>The tombstone of a deleted object.</summary>
    public ObjectTombstone Tombstone(KubeResource resource, JsonElement obj, DateTimeOffset deletedAt)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return new ObjectTombstone
        {
            Ref = Reference(resource, obj),
            ResourceVersion = obj.Get("metadata").Text("resourceVersion") ?? "",
            DeletedAt = Timestamp.FromDateTimeOffset(deletedAt),
        };
    }

    /// <summary>A core/v1 Event as a <see cref="KubeEvent"/>.</summary>
    public KubeEvent Event(JsonElement obj, DateTimeOffset observedAt)
    {
        var metadata = obj.Get("metadata");
        var ns = metadata.Text("namespace");
        var involved = obj.Get("involvedObject");
        var involvedNamespace = involved.Text("namespace");
        var series = obj.Get("series");
        var count = obj.Get("count").Int() ?? series.Get("count").Int() ?? 1;
        var first = Time(obj.Text("firstTimestamp")) ?? Time(obj.Text("eventTime")) ?? Time(metadata.Text("creationTimestamp")) ?? Timestamp.FromDateTimeOffset(observedAt);
        var last = Time(series.Text("lastObservedTime")) ?? Time(obj.Text("lastTimestamp")) ?? Time(obj.Text("eventTime")) ?? first;
        var source = obj.Get("source");
        return new KubeEvent
        {
            Event = identity.Ref("v1", "Event", ns, metadata.Text("name") ?? "", metadata.Text("uid"), TenantOf(ns)),
            Involved = identity.Ref(involved.Text("apiVersion") ?? "", involved.Text("kind") ?? "", involvedNamespace, involved.Text("name") ?? "", involved.Text("uid"), TenantOf(involvedNamespace)),
            Reason = obj.Text("reason") ?? "",
            Message = obj.Text("message") ?? "",
            Type = obj.Text("type") ?? "Normal",
            Count = Math.Max(count, 1),
            FirstSeen = first,
            LastSeen = last,
            ReportingComponent = obj.Text("reportingComponent") is { Length: > 0 } component ? component : source.Text("component") ?? "",
            ReportingInstance = obj.Text("reportingInstance") is { Length: > 0 } instance ? instance : source.Text("host") ?? "",
            Action = obj.Text("action") ?? "",
        };
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? writer;

    /// <summary>
    /// The object as published: apiVersion and kind first, <c>managedFields</c> and the
    /// last-applied annotation left out, Secret (and unless opted in, ConfigMap) values replaced
    /// by <c>dataKeys</c>. Streams from the parsed document; nothing is copied into a tree.
    /// </summary>
    private ReadOnlySpan<byte> Write(KubeResource resource, JsonElement obj)
    {
        var isSecret = resource.Group.Length == 0 && resource.Kind == "Secret";
        var isConfigMap = resource.Group.Length == 0 && resource.Kind == "ConfigMap";
        var dropValues = isSecret || (isConfigMap && !includeConfigMapData);
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

        var keys = dropValues ? new SortedSet<string>(StringComparer.Ordinal) : null;
        writer.WriteStartObject();
        writer.WriteString("apiVersion"u8, resource.ApiVersion);
        writer.WriteString("kind"u8, resource.Kind);
        foreach (var property in obj.EnumerateObject())
        {
            if (property.NameEquals("apiVersion"u8) || property.NameEquals("kind"u8))
            {
                continue;
            }

            if (property.NameEquals("metadata"u8) && property.Value.ValueKind == JsonValueKind.Object)
            {
                writer.WritePropertyName("metadata"u8);
                WriteMetadata(writer, property.Value);
                continue;
            }

            var isValues = property.NameEquals("data"u8) || property.NameEquals("stringData"u8) || property.NameEquals("binaryData"u8);
            if (isValues && keys is not null)
            {
                foreach (var key in ((JsonElement?)property.Value).Properties())
                {
                    keys.Add(key.Name);
                }

                continue;
            }

            if (isConfigMap && property.NameEquals("binaryData"u8))
            {
                continue;
            }

            property.WriteTo(writer);
        }

        if (keys is not null)
        {
            writer.WriteStartArray("dataKeys"u8);
            foreach (var key in keys)
            {
                writer.WriteStringValue(key);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenSpan;
    }

    private static void WriteMetadata(Utf8JsonWriter writer, JsonElement metadata)
    {
        writer.WriteStartObject();
        foreach (var property in metadata.EnumerateObject())
        {
            if (property.NameEquals("managedFields"u8))
            {
                continue;
            }

            if (property.NameEquals("annotations"u8) && property.Value.ValueKind == JsonValueKind.Object)
            {
                writer.WriteStartObject("annotations"u8);
                foreach (var annotation in property.Value.EnumerateObject())
                {
                    if (!annotation.NameEquals(LastApplied))
                    {
                        annotation.WriteTo(writer);
                    }
                }

                writer.WriteEndObject();
                continue;
            }

            property.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    private string TenantOf(string? @namespace) => identity.Layer == Layer.Host ? tenants.TenantOfHostNamespace(@namespace) : identity.Tenant;

    private ObjectRef? Twin(KubeResource resource, string? ns, string name, JsonElement? metadata)
    {
        if (identity.Layer == Layer.Host)
        {
            // A host object the syncer created: its virtual original is named in the annotations.
            var vcluster = metadata.Get("labels").Text(VClusterNaming.ManagedByLabel);
            var annotations = metadata.Get("annotations");
            var virtualName = annotations.Text(VClusterNaming.ObjectNameAnnotation);
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
                Kind = KindOf(annotations.Text(VClusterNaming.ObjectKindAnnotation)) ?? resource.Kind,
                Namespace = annotations.Text(VClusterNaming.ObjectNamespaceAnnotation) ?? "",
                Name = virtualName,
                Uid = annotations.Text(VClusterNaming.ObjectUidAnnotation) ?? "",
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

    // The syncer writes Go's GroupVersionKind string: "/v1, Kind=Pod".
    private static string? KindOf(string? annotation) =>
        annotation?.LastIndexOf("Kind=", StringComparison.Ordinal) is { } at and >= 0 ? annotation[(at + 5)..] : null;


    private static Timestamp? Time(string? text) =>
        !string.IsNullOrEmpty(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? Timestamp.FromDateTimeOffset(at)
            : null;
}
