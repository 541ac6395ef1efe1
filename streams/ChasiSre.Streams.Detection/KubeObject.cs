using System.Runtime.InteropServices;
using System.Text.Json;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection;

/// <summary>One object as the pipeline last saw it: its identity and its JSON (metadata, spec, status).</summary>
/// <param name="Ref">Identity, with the twin when there is one.</param>
/// <param name="Json">The object (as published by ingest: managedFields dropped, Secret values never present).</param>
/// <param name="ResourceVersion">The API server's resourceVersion.</param>
/// <param name="ObservedAt">When ingest saw this version.</param>
/// <remarks>Equality is the record's over the four parameters; what the object caches of its own JSON (its container
/// statuses, read once however many detectors ask) does not take part.</remarks>
public sealed record KubeObject(ObjectRef Ref, JsonElement Json, string ResourceVersion, DateTimeOffset ObservedAt)
{
    private IReadOnlyList<ContainerStatus>? containerStatuses;

    /// <summary>status.initContainerStatuses then status.containerStatuses, read once (an object never changes: a new
    /// version is a new <see cref="KubeObject"/>).</summary>
    internal IReadOnlyList<ContainerStatus> ContainerStatuses => containerStatuses ??= ContainerStatus.Read(Json);

    /// <summary>Builds a <see cref="KubeObject"/> from an ingest snapshot.</summary>
    public static KubeObject FromSnapshot(ObjectSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        using var document = JsonDocument.Parse(snapshot.ObjectJson.Memory);
        return new KubeObject(snapshot.Ref, document.RootElement.Clone(), snapshot.ResourceVersion, snapshot.ObservedAt.ToDateTimeOffset());
    }

    /// <summary>
    /// True when <paramref name="snapshot"/> is this very version again: the same identity, the same non-empty
    /// resourceVersion and byte for byte the same JSON (what a relist, a resync or a republished compacted topic
    /// delivers). Only when it is may a consumer skip it; a version that differs in anything is never the same.
    /// </summary>
    public bool IsSameVersion(ObjectSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return ResourceVersion.Length > 0
            && string.Equals(ResourceVersion, snapshot.ResourceVersion, StringComparison.Ordinal)
            && Json.ValueKind != JsonValueKind.Undefined
            && JsonMarshal.GetRawUtf8Value(Json).SequenceEqual(snapshot.ObjectJson.Span)
            && Ref.Equals(snapshot.Ref);
    }

    /// <inheritdoc />
    public bool Equals(KubeObject? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && EqualityComparer<ObjectRef>.Default.Equals(Ref, other.Ref)
            && EqualityComparer<JsonElement>.Default.Equals(Json, other.Json)
            && string.Equals(ResourceVersion, other.ResourceVersion, StringComparison.Ordinal)
            && ObservedAt.Equals(other.ObservedAt));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Ref, Json, ResourceVersion, ObservedAt);
}
