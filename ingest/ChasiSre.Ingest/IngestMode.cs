namespace ChasiSre.Ingest;

/// <summary>Where the agent runs and what it watches (same binary, configuration only).</summary>
public enum IngestMode
{
    /// <summary>On the host: watches the host cluster and discovers and watches every vCluster.</summary>
    Centralized,

    /// <summary>Inside one vCluster: watches only it and publishes to the host's Kafka.</summary>
    Distributed,
}
