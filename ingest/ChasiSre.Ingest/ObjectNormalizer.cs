using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
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
    private static ReadOnlySpan<byte> LastApplied => "kubectl.kubernetes.io/last-applied-configuration"u8;
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
        return Reference(resource, new Metadata(obj));
    }

    /// <summary>The snapshot of an object seen by list or watch.</summary>
    public ObjectSnapshot Snapshot(KubeResource resource, JsonElement obj, bool fromList, DateTimeOffset observedAt)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var metadata = new Metadata(obj);
        var snapshot = new ObjectSnapshot
        {
            Ref = Reference(resource, metadata),
            ResourceVersion = metadata.ResourceVersion.Text() ?? "",
            Generation = metadata.Generation.Long() ?? 0,
            ObservedAt = Timestamp.FromDateTimeOffset(observedAt),
            FromList = fromList,
        };
        if (Time(metadata.CreationTimestamp) is { } created)
        {
            snapshot.CreatedAt = created;
        }

        foreach (var label in metadata.Labels.Properties())
        {
            snapshot.Labels[label.Name] = label.Value.Scalar();
        }

        foreach (var annotation in metadata.Annotations.Properties())
        {
            if (annotation.NameEquals(LastApplied))
            {
                continue;
            }

            var text = annotation.Value.Scalar();
            if (text.Length <= maxAnnotationBytes)
            {
                snapshot.Annotations[annotation.Name] = text;
            }
        }

        foreach (var owner in metadata.OwnerReferences.Items())
        {
            snapshot.Owners.Add(new OwnerRef
            {
                ApiVersion = owner.Text("apiVersion"u8) ?? "",
                Kind = owner.Text("kind"u8) ?? "",
                Name = owner.Text("name"u8) ?? "",
                Uid = owner.Text("uid"u8) ?? "",
                Controller = owner.Get("controller"u8).Bool() ?? false,
            });
        }

        snapshot.ObjectJson = Google.Protobuf.ByteString.CopyFrom(Write(resource, obj));
        return snapshot;
    }

    /// <summary>The tombstone of a deleted object.</summary>
    public ObjectTombstone Tombstone(KubeResource resource, JsonElement obj, DateTimeOffset deletedAt)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var metadata = new Metadata(obj);
        return new ObjectTombstone
        {
            Ref = Reference(resource, metadata),
            ResourceVersion = metadata.ResourceVersion.Text() ?? "",
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
        var first = Time(obj.Get("firstTimestamp")) ?? Time(obj.Get("eventTime")) ?? Time(metadata.Get("creationTimestamp")) ?? Timestamp.FromDateTimeOffset(observedAt);
        var last = Time(series.Get("lastObservedTime")) ?? Time(obj.Get("lastTimestamp")) ?? Time(obj.Get("eventTime")) ?? first;
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
    /// by <c>dataKeys</c>. Every value kept is copied as the server's bytes (already valid,
    /// escaped JSON): nothing is decoded, re-escaped or copied into a tree.
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

            WriteVerbatim(writer, property);
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

            if (property.NameEquals("annotations"u8) && property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty(LastApplied, out _))
            {
                writer.WriteStartObject("annotations"u8);
                foreach (var annotation in property.Value.EnumerateObject())
                {
                    if (!annotation.NameEquals(LastApplied))
                    {
                        WriteVerbatim(writer, annotation);
                    }
                }

                writer.WriteEndObject();
                continue;
            }

            WriteVerbatim(writer, property);
        }

        writer.WriteEndObject();
    }

    // The value's bytes as the server sent them (a parsed document holds valid JSON, so they need no
    // validation); the name unescaped and written again only when the server escaped it.
    private static void WriteVerbatim(Utf8JsonWriter writer, JsonProperty property)
    {
        var name = JsonMarshal.GetRawUtf8PropertyName(property);
        if (name.IndexOf((byte)'\\') < 0)
        {
            writer.WritePropertyName(name);
        }
        else
        {
            writer.WritePropertyName(property.Name);
        }

        writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(property.Value), skipInputValidation: true);
    }

    private string TenantOf(string? @namespace) => identity.Layer == Layer.Host ? tenants.TenantOfHostNamespace(@namespace) : identity.Tenant;

    private ObjectRef Reference(KubeResource resource, in Metadata metadata)
    {
        var ns = resource.Namespaced ? metadata.Namespace.Text() : null;
        var name = metadata.Name.Text() ?? "";
        var reference = identity.Ref(resource.ApiVersion, resource.Kind, ns, name, metadata.Uid.Text(), TenantOf(ns));
        var twin = Twin(resource, ns, name, metadata);
        if (twin is not null)
        {
            reference.Twin = twin;
        }

        return reference;
    }

    private ObjectRef? Twin(KubeResource resource, string? ns, string name, in Metadata metadata)
    {
        if (identity.Layer == Layer.Host)
        {
            // A host object the syncer created: its virtual original is named in the annotations.
            var vcluster = metadata.Labels.Text(ManagedByLabel);
            var annotations = metadata.Annotations;
            var virtualName = annotations.Text(ObjectNameAnnotation);
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
                Kind = KindOf(annotations.Text(ObjectKindAnnotation)) ?? resource.Kind,
                Namespace = annotations.Text(ObjectNamespaceAnnotation) ?? "",
                Name = virtualName,
                Uid = annotations.Text(ObjectUidAnnotation) ?? "",
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

    // The syncer's label and annotations, as UTF-8 for lookups that need not transcode the name each time.
    private static readonly byte[] ManagedByLabel = Encoding.UTF8.GetBytes(VClusterNaming.ManagedByLabel);
    private static readonly byte[] ObjectNameAnnotation = Encoding.UTF8.GetBytes(VClusterNaming.ObjectNameAnnotation);
    private static readonly byte[] ObjectKindAnnotation = Encoding.UTF8.GetBytes(VClusterNaming.ObjectKindAnnotation);
    private static readonly byte[] ObjectNamespaceAnnotation = Encoding.UTF8.GetBytes(VClusterNaming.ObjectNamespaceAnnotation);
    private static readonly byte[] ObjectUidAnnotation = Encoding.UTF8.GetBytes(VClusterNaming.ObjectUidAnnotation);

    // ConfigMaps and Secrets reach the host only when a pod uses them, so their twin is not certain.
    private static readonly HashSet<string> TwinnedKinds = new(["Pod", "Service", "Endpoints", "PersistentVolumeClaim"], StringComparer.Ordinal);

    // The syncer writes Go's GroupVersionKind string: "/v1, Kind=Pod".
    private static string? KindOf(string? annotation) =>
        annotation?.LastIndexOf("Kind=", StringComparison.Ordinal) is { } at and >= 0 ? annotation[(at + 5)..] : null;


    // Kubernetes writes RFC 3339 UTC times ("2026-03-01T10:00:00Z"): read straight from the UTF-8 bytes;
    // anything else goes through the lenient parser, which takes a time without offset as UTC.
    private static Timestamp? Time(JsonElement? element)
    {
        if (element is not { ValueKind: JsonValueKind.String } text)
        {
            return null;
        }

        var raw = JsonMarshal.GetRawUtf8Value(text);
        return raw.Length > 2 && raw[^2] == (byte)'Z' && text.TryGetDateTimeOffset(out var at)
            ? Timestamp.FromDateTimeOffset(at)
            : Time(text.GetString());
    }

    private static Timestamp? Time(string? text) =>
        !string.IsNullOrEmpty(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? Timestamp.FromDateTimeOffset(at)
            : null;
    /// <summary>
    /// The metadata fields the normalizer reads, found in one pass over <c>metadata</c> (a lookup by
    /// name scans the object's properties each time); a field that is absent or null is null.
    /// </summary>
    private readonly struct Metadata
    {
        public Metadata(JsonElement obj)
        {
            if (obj.Get("metadata"u8) is not { ValueKind: JsonValueKind.Object } metadata)
            {
                return;
            }

            foreach (var property in metadata.EnumerateObject())
            {
                JsonElement? value = property.Value.ValueKind == JsonValueKind.Null ? null : property.Value;
                if (property.NameEquals("name"u8))
                {
                    Name = value;
                }
                else if (property.NameEquals("namespace"u8))
                {
                    Namespace = value;
                }
                else if (property.NameEquals("uid"u8))
                {
                    Uid = value;
                }
                else if (property.NameEquals("resourceVersion"u8))
                {
                    ResourceVersion = value;
                }
                else if (property.NameEquals("generation"u8))
                {
                    Generation = value;
                }
                else if (property.NameEquals("creationTimestamp"u8))
                {
                    CreationTimestamp = value;
                }
                else if (property.NameEquals("labels"u8))
                {
                    Labels = value;
                }
                else if (property.NameEquals("annotations"u8))
                {
                    Annotations = value;
                }
                else if (property.NameEquals("ownerReferences"u8))
                {
                    OwnerReferences = value;
                }
            }
        }

        public JsonElement? Name { get; }

        public JsonElement? Namespace { get; }

        public JsonElement? Uid { get; }

        public JsonElement? ResourceVersion { get; }

        public JsonElement? Generation { get; }

        public JsonElement? CreationTimestamp { get; }

        public JsonElement? Labels { get; }

        public JsonElement? Annotations { get; }

        public JsonElement? OwnerReferences { get; }
    }
}
