using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Scenarios;

/// <summary>Create or replace <see cref="Object"/> (status included) in <see cref="ClusterOperation.Cluster"/>.
/// <see cref="Generated"/> is true for what the timeline derived (vCluster host side, twins, fake nodes, copied events).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The operation's name for the applied object is part of the agreed API.")]
public sealed record ApplyObject(TimeSpan At, string Cluster, JsonObject Object, bool Generated = false) : ClusterOperation(At, Cluster)
{
    public string ApiVersion => (string)Object["apiVersion"]!;

    public string Kind => (string)Object["kind"]!;

    public string Name => (string)Object["metadata"]!["name"]!;

    public string? Namespace => Object["metadata"]?["namespace"]?.GetValue<string>();
}
