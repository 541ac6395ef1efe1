namespace ChasiSre.Sdk;

/// <summary>Health of the business system and a snapshot of its key metrics.</summary>
/// <param name="Healthy">False when the system is degraded from the business's point of view.</param>
/// <param name="Summary">One line for people ("checkout p95 2.4 s, payment errors 18%").</param>
public sealed record StatusSnapshot(bool Healthy, string Summary)
{
    /// <summary>Key metrics by name (finite values only; others are dropped by the SDK).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Kubernetes objects the system runs on (its Deployments, StatefulSets...).</summary>
    public IReadOnlyList<DependencyRef> DependsOn { get; init; } = [];
}
