namespace ChasiSre.Streams.K8sGpt;

/// <summary>Meter and instrument names of the k8sgpt interop (dashboards depend on them).</summary>
public static class K8sGptTelemetryNames
{
    public const string SourceName = "ChasiSre.Streams.K8sGpt";

    /// <summary>Custom analyzer runs; tags <c>analyzer</c>, <c>outcome</c> (success, failure).</summary>
    public const string Runs = "chasisre.k8sgpt.runs";

    /// <summary>Duration of custom analyzer runs, seconds; tags <c>analyzer</c>, <c>outcome</c>.</summary>
    public const string RunDuration = "chasisre.k8sgpt.run.duration";

    /// <summary>Signals published from custom analyzers; tags <c>analyzer</c>, <c>active</c>.</summary>
    public const string Signals = "chasisre.k8sgpt.signals";
}
