using System.Text.Json;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection;

/// <summary>One object as the pipeline last saw it: its identity and its JSON (metadata, spec, status).</summary>
/// <param name="Ref">Identity, with the twin when there is one.</param>
/// <param name="Json">The object (as published by ingest: managedFields dropped, Secret values never present).</param>
/// <param name="ResourceVersion">The API server's resourceVersion.</param>
/// <param name="ObservedAt">When ingest saw this version.</param>
public sealed record KubeObject(ObjectRef Ref, JsonElement Json, string ResourceVersion, DateTimeOffset ObservedAt)
{
    /// <summary>Builds a <see cref="KubeObject"/> from an ingest snapshot.</summary>
    public static KubeObject FromSnapshot(ObjectSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        using var document = JsonDocument.Parse(snapshot.ObjectJson.Memory);
        return new KubeObject(snapshot.Ref, document.RootElement.Clone(), snapshot.ResourceVersion, snapshot.ObservedAt.ToDateTimeOffset());
    }
}
