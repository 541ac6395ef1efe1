using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Stream;

namespace ChasiSre.Schemas.Streamiz;

/// <summary>
/// Derives a topology's internal topics from <c>Topology.Describe()</c>, so that the catalog's
/// declarations cannot drift from what Streamiz will use: every topic the topology both writes
/// and reads is a repartition topic (<c>{applicationId}-{name}</c>), and every state store has a
/// changelog (<c>{applicationId}-{store}-changelog</c>).
/// </summary>
public static class TopologyInternalTopics
{
    /// <summary>The internal topics of <paramref name="topology"/> run as <paramref name="applicationId"/>.</summary>
    /// <param name="applicationId">The topology's <c>application.id</c>.</param>
    /// <param name="topology">The built topology.</param>
    /// <param name="partitions">Partitions of the source topics (internal topics must match them).</param>
    public static IReadOnlyList<InternalTopic> Of(string applicationId, Topology topology, int partitions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(applicationId);
        ArgumentNullException.ThrowIfNull(topology);
        var nodes = topology.Describe().SubTopologies.SelectMany(s => s.Nodes).ToList();
        var sinks = nodes.OfType<ISinkNodeDescription>().Select(n => n.Topic).Where(t => t is not null).ToHashSet(StringComparer.Ordinal);
        var repartitions = nodes.OfType<ISourceNodeDescription>()
            .SelectMany(n => n.Topics)
            .Where(sinks.Contains)
            .Distinct(StringComparer.Ordinal)
            .Select(t => new InternalTopic(applicationId, t, partitions, CleanupPolicy.Delete));
        var changelogs = nodes.OfType<IProcessorNodeDescription>()
            .SelectMany(n => n.Stores)
            .Distinct(StringComparer.Ordinal)
            .Select(store => new InternalTopic(applicationId, $"{store}-changelog", partitions, CleanupPolicy.Compact));
        return [.. repartitions, .. changelogs];
    }
}
