using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Correlation;

/// <summary>Where a finding's cause lives, and the workload its subject belongs to.</summary>
/// <param name="Root">The root cause object: the finding's cause (climbed to its workload) or, without one, the subject's workload.</param>
/// <param name="Key">The root's record key (<see cref="Schemas.RecordKeys.ForObject"/>): incidents are grouped by it.</param>
/// <param name="Workload">The workload (or top owner) the finding's subject belongs to, on the virtual side for vCluster twins.</param>
public sealed record IncidentRoot(ObjectRef Root, string Key, ObjectRef Workload);
