namespace ChasiSre.Schemas;

/// <summary>
/// A Streamiz internal topic: Streamiz names them <c>{applicationId}-{name}-repartition</c>
/// and <c>{applicationId}-{store}-changelog</c>. Declared so that clusters without
/// auto-creation (the embedded mock, locked-down brokers) get them up front.
/// </summary>
/// <param name="ApplicationId">The topology's <c>application.id</c>.</param>
/// <param name="Suffix">The part after the application id, e.g. <c>counts-changelog</c>.</param>
/// <param name="Partitions">Partition count; must match the source topics for co-partitioning.</param>
/// <param name="Cleanup">Changelogs are compacted, repartition topics are deleted.</param>
public sealed record InternalTopic(string ApplicationId, string Suffix, int Partitions, CleanupPolicy Cleanup)
{
    /// <summary>The full topic name.</summary>
    public string Name => $"{ApplicationId}-{Suffix}";
}
