using System.Globalization;
using System.Text.Json.Nodes;
using ChasiSre.Ingest;
using ChasiSre.Ingest.Scenarios;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Cli.Analyze;

/// <summary>
/// <c>kubectl cluster-info dump --all-namespaces --output-directory=DIR</c> directories as the records ingest would publish:
/// read by <see cref="ClusterDumpReader"/>, normalized by <see cref="ScenarioRecords"/> (ingest's own normalizer, tenant
/// resolver and log line parser), everything at one instant. The root dump is the host; each vCluster dump is read as that
/// vCluster (layer virtual, its tenant, twins linked to the host namespace of its control plane).
/// </summary>
internal static class DumpSource
{
    /// <summary>Timestamp fields whose newest value tells when a dump was taken.</summary>
    private static readonly HashSet<string> TimeFields = new(StringComparer.Ordinal)
    {
        "creationTimestamp", "firstTimestamp", "lastTimestamp", "eventTime", "lastTransitionTime", "lastHeartbeatTime",
        "lastUpdateTime", "lastProbeTime", "startTime", "startedAt", "finishedAt",
    };

    public static AnalyzeInput Read(string directory, string cluster, IReadOnlyList<VClusterDump> vclusters, DateTimeOffset? at, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(vclusters);
        var warnings = new List<string>();
        var operations = new List<ClusterOperation>(Supported(ClusterDumpReader.Read(directory, cluster, logger), directory, warnings));
        var clusters = new List<ScenarioCluster> { new(cluster, null) };
        var names = new List<string> { cluster };
        foreach (var vcluster in vclusters)
        {
            if (vcluster.Name == cluster || clusters.Any(c => c.Name == vcluster.Name))
            {
                throw new AnalyzeSourceException($"--vcluster-dump {vcluster.Name}: the name is given twice");
            }

            var hostNamespace = vcluster.HostNamespace ?? HostNamespaceOf(vcluster.Name, operations)
                ?? throw new AnalyzeSourceException(
                    $"--vcluster-dump {vcluster.Name}: the host dump {Path.GetFullPath(directory)} has no pod labelled {VClusterNaming.AppLabel}={VClusterNaming.AppLabelValue},{VClusterNaming.ReleaseLabel}={vcluster.Name} and no object labelled {VClusterNaming.ManagedByLabel}={vcluster.Name}; name its host namespace: {vcluster.Name}@NAMESPACE={vcluster.Directory}");
            clusters.Add(new ScenarioCluster(vcluster.Name, new VClusterSpec(hostNamespace, SyncToHost: false, [])));
            names.Add($"{vcluster.Name} ({hostNamespace})");
            operations.AddRange(Supported(ClusterDumpReader.Read(vcluster.Directory, vcluster.Name, logger), vcluster.Directory, warnings));
        }

        var asOf = at ?? Newest(operations) ?? timeProvider.GetUtcNow();
        var scenario = new Scenario("cluster-dump", "", asOf, clusters, [], null, Path.GetFullPath(directory));
        return new AnalyzeInput("dump", names, asOf, ScenarioRecords.Build(scenario, operations), warnings);
    }

    /// <summary>
    /// The host namespace of vCluster <paramref name="name"/> in a host dump: where its control-plane pod runs
    /// (<c>app=vcluster</c>, <c>release=name</c>; the dump has pods, not StatefulSets), else where its synced twins are.
    /// </summary>
    internal static string? HostNamespaceOf(string name, IReadOnlyList<ClusterOperation> hostOperations)
    {
        string? twins = null;
        foreach (var apply in hostOperations.OfType<ApplyObject>())
        {
            var labels = apply.Object["metadata"]?["labels"] as JsonObject;
            var ns = Text(apply.Object["metadata"]?["namespace"]);
            if (labels is null || ns is null)
            {
                continue;
            }

            if (Label(labels, VClusterNaming.AppLabel) == VClusterNaming.AppLabelValue && Label(labels, VClusterNaming.ReleaseLabel) == name)
            {
                return ns;
            }

            if (Label(labels, VClusterNaming.ManagedByLabel) == name)
            {
                twins ??= ns;
            }
        }

        return twins;
    }

    /// <summary>The operations ingest would see: kinds it does not watch (ReplicationControllers) are left out, with a warning.</summary>
    private static IEnumerable<ClusterOperation> Supported(IReadOnlyList<ClusterOperation> operations, string directory, List<string> warnings)
    {
        var skipped = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var operation in operations)
        {
            if (operation is ApplyObject apply && Text(apply.Object["kind"]) is { } kind && !Watched(kind))
            {
                skipped[kind] = skipped.GetValueOrDefault(kind) + 1;
                continue;
            }

            yield return operation;
        }

        foreach (var (kind, count) in skipped)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFullPath(directory)}: {count} {kind} object(s) skipped: ingest does not watch {kind}"));
        }
    }

    private static bool Watched(string kind) => kind == "Event" || KubeResources.Default.Any(r => r.Kind == kind);

    private static string? Label(JsonObject labels, string key) => Text(labels[key]);

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>The newest timestamp in the dump's objects: as close as the dump gets to saying when it was taken.</summary>
    private static DateTimeOffset? Newest(IEnumerable<ClusterOperation> operations)
    {
        DateTimeOffset? newest = null;
        foreach (var apply in operations.OfType<ApplyObject>())
        {
            Visit(apply.Object, ref newest);
        }

        return newest;
    }

    private static void Visit(JsonNode? node, ref DateTimeOffset? newest)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (TimeFields.Contains(key) && value is JsonValue scalar && scalar.TryGetValue<string>(out var text)
                        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
                        && (newest is null || time > newest))
                    {
                        newest = time;
                    }
                    else
                    {
                        Visit(value, ref newest);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Visit(item, ref newest);
                }

                break;
        }
    }
}
