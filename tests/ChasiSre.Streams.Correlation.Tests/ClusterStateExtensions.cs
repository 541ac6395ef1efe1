using System.Text.Json;
using System.Text.Json.Nodes;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;

namespace ChasiSre.Streams.Correlation.Tests;

/// <summary>Shorthands over the detection project's <see cref="InMemoryClusterState"/>.</summary>
internal static class ClusterStateExtensions
{
    /// <summary>Adds (or replaces) an object given its identity and JSON, observed now.</summary>
    public static KubeObject Add(this InMemoryClusterState state, ObjectRef reference, JsonObject json)
    {
        var obj = new KubeObject(reference, JsonSerializer.SerializeToElement(json), "1", state.Now);
        state.Apply(obj);
        return obj;
    }

    /// <summary>Moves the state's clock and returns the state.</summary>
    public static InMemoryClusterState At(this InMemoryClusterState state, DateTimeOffset now)
    {
        state.SetNow(now);
        return state;
    }
}
