using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Correlation.Tests;

/// <summary>A Deployment, its ReplicaSet and its pods (with host twins when the fleet made them).</summary>
internal sealed record Workload(ObjectRef Deployment, ObjectRef ReplicaSet, IReadOnlyList<ObjectRef> Pods);
