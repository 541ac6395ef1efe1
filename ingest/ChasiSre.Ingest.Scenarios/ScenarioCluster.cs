namespace ChasiSre.Ingest.Scenarios;

/// <summary>A cluster of the scenario: the host (<see cref="HostName"/>) or a vCluster running on it.</summary>
public sealed record ScenarioCluster(string Name, VClusterSpec? VCluster)
{
    /// <summary>The host cluster's name in every scenario.</summary>
    public const string HostName = "host";

    public bool IsHost => Name == HostName;
}
