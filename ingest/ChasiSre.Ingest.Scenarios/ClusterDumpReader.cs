using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Ingest.Scenarios;

/// <summary>Reads the directory written by <c>kubectl cluster-info dump --all-namespaces --output-directory=DIR</c>
/// (kubectl's staging/src/k8s.io/kubectl/pkg/cmd/clusterinfo/clusterinfo_dump.go): <c>nodes.json</c> at the top; per
/// namespace <c>events, replication-controllers, services, daemonsets, deployments, replicasets, pods</c> lists; and
/// <c>&lt;ns&gt;/&lt;pod&gt;/logs.txt</c> holding every init and regular container's current log between
/// <c>==== START logs for container C of pod NS/P ====</c> and <c>==== END ... ====</c> markers (kubectl writes no
/// previous logs). <c>-o yaml</c> dumps (<c>.yaml</c> files) are read too.</summary>
/// <remarks>Everything is applied at t=0. A Namespace object is added for each namespace directory (the dump has the
/// directories, not the objects). Objects come before events so that an event's involved object exists.</remarks>
public static partial class ClusterDumpReader
{
    /// <summary>Per-namespace list files in the order their objects are applied (events last).</summary>
    private static readonly (string File, string ApiVersion, string Kind)[] NamespaceFiles =
    [
        ("replication-controllers", "v1", "ReplicationController"),
        ("services", "v1", "Service"),
        ("daemonsets", "apps/v1", "DaemonSet"),
        ("deployments", "apps/v1", "Deployment"),
        ("replicasets", "apps/v1", "ReplicaSet"),
        ("pods", "v1", "Pod"),
        ("events", "v1", "Event"),
    ];

    [GeneratedRegex(@"^==== START logs for container (?<container>\S+) of pod (?<namespace>[^/\s]+)/(?<pod>\S+) ====$")]
    private static partial Regex StartMarker();

    [GeneratedRegex(@"==== END logs for container (?<container>\S+) of pod (?<namespace>[^/\s]+)/(?<pod>\S+) ====$")]
    private static partial Regex EndMarker();

    /// <summary>Reads the dump in <paramref name="directory"/> as the cluster named <paramref name="cluster"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="ClusterDumpException">A file is malformed; the exception names it.</exception>
    public static IReadOnlyList<ClusterOperation> Read(string directory, string cluster = ScenarioCluster.HostName) =>
        Read(directory, cluster, NullLogger.Instance);

    /// <inheritdoc cref="Read(string, string)"/>
    public static IReadOnlyList<ClusterOperation> Read(string directory, string cluster, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(cluster);
        ArgumentNullException.ThrowIfNull(logger);
        var root = Path.GetFullPath(directory);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"cluster dump directory not found: {root}");
        }

        var operations = new List<ClusterOperation>();
        var logs = new List<ClusterOperation>();
        foreach (var file in Directory.EnumerateFiles(root).Order(StringComparer.Ordinal))
        {
            if (ListFileStem(file) == "nodes")
            {
                AddItems(operations, cluster, file, "v1", "Node");
            }
            else
            {
                logger.DumpFileSkipped(file);
            }
        }

        var namespaces = 0;
        foreach (var nsDirectory in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var ns = Path.GetFileName(nsDirectory);
            namespaces++;
            operations.Add(new ApplyObject(TimeSpan.Zero, cluster, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new JsonObject
                {
                    ["name"] = ns,
                    ["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = ns },
                },
                ["status"] = new JsonObject { ["phase"] = "Active" },
            }, Generated: true));

            var files = Directory.EnumerateFiles(nsDirectory).ToDictionary(f => ListFileStem(f) ?? f, StringComparer.Ordinal);
            foreach (var (stem, apiVersion, kind) in NamespaceFiles)
            {
                if (files.Remove(stem, out var file))
                {
                    AddItems(operations, cluster, file, apiVersion, kind);
                }
            }

            foreach (var file in files.Values)
            {
                logger.DumpFileSkipped(file);
            }

            foreach (var podDirectory in Directory.EnumerateDirectories(nsDirectory).Order(StringComparer.Ordinal))
            {
                var logFile = Path.Combine(podDirectory, "logs.txt");
                if (File.Exists(logFile))
                {
                    ReadLogs(logs, cluster, logFile, ns, Path.GetFileName(podDirectory), logger);
                }
                else
                {
                    logger.DumpFileSkipped(podDirectory);
                }
            }
        }

        logger.DumpRead(root, cluster, operations.Count, namespaces, logs.Count);
        operations.AddRange(logs);
        return operations;
    }

    private static string? ListFileStem(string file) =>
        Path.GetExtension(file) is ".json" or ".yaml" ? Path.GetFileNameWithoutExtension(file) : null;

    private static void AddItems(List<ClusterOperation> operations, string cluster, string file, string fallbackApiVersion, string fallbackKind)
    {
        var list = ParseList(file);
        var listKind = KubeJson.String(list["kind"]);
        var itemKind = listKind is { Length: > 4 } && listKind.EndsWith("List", StringComparison.Ordinal) ? listKind[..^4] : fallbackKind;
        var itemApiVersion = KubeJson.String(list["apiVersion"]) ?? fallbackApiVersion;
        if (list["items"] is not JsonArray items)
        {
            if (list["items"] is null && list.ContainsKey("items"))
            {
                return;
            }

            throw new ClusterDumpException(file, "expected a Kubernetes list object with an 'items' array");
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not JsonObject item || KubeJson.Name(item) is not { Length: > 0 })
            {
                throw new ClusterDumpException(file, $"items[{i}] is not a Kubernetes object with metadata.name");
            }

            var copy = (JsonObject)item.DeepClone();
            if (KubeJson.String(copy["apiVersion"]) is not { Length: > 0 })
            {
                copy["apiVersion"] = itemApiVersion;
            }

            if (KubeJson.String(copy["kind"]) is not { Length: > 0 })
            {
                copy["kind"] = itemKind;
            }

            operations.Add(new ApplyObject(TimeSpan.Zero, cluster, copy));
        }
    }

    private static JsonObject ParseList(string file)
    {
        if (Path.GetExtension(file) == ".yaml")
        {
            var errors = new List<ScenarioError>();
            var context = new YamlReadContext(file, errors);
            var document = YamlDocumentLoader.Parse(context, File.ReadAllText(file));
            var node = document is null ? null : context.ToJson(document);
            if (errors.Count > 0)
            {
                throw new ClusterDumpException(file, string.Join("; ", errors.Select(e => $"{e.Line}:{e.Column}: {e.Reason}")));
            }

            return node as JsonObject ?? throw new ClusterDumpException(file, "expected a Kubernetes list object");
        }

        try
        {
            using var stream = File.OpenRead(file);
            return JsonNode.Parse(stream, documentOptions: new JsonDocumentOptions { MaxDepth = 256 }) as JsonObject
                ?? throw new ClusterDumpException(file, "expected a Kubernetes list object");
        }
        catch (JsonException exception)
        {
            throw new ClusterDumpException(file, $"malformed JSON at line {exception.LineNumber + 1}: {exception.Message}", exception);
        }
    }

    private static void ReadLogs(List<ClusterOperation> logs, string cluster, string file, string ns, string pod, ILogger logger)
    {
        string? container = null;
        List<string>? lines = null;
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(file))
        {
            lineNumber++;
            if (container is null)
            {
                var start = StartMarker().Match(raw);
                if (!start.Success)
                {
                    throw new ClusterDumpException(file, $"line {lineNumber}: expected '==== START logs for container ... ====', got '{Truncate(raw)}'");
                }

                container = start.Groups["container"].Value;
                lines = [];
                continue;
            }

            var end = EndMarker().Match(raw);
            if (!end.Success || end.Groups["container"].Value != container)
            {
                lines!.Add(raw);
                continue;
            }

            // The container's log need not end with a newline; kubectl then writes the END marker on its last line.
            if (end.Index > 0)
            {
                lines!.Add(raw[..end.Index]);
            }

            if (lines!.Count == 1 && (lines[0].StartsWith("Create log request error: ", StringComparison.Ordinal)
                                     || lines[0].StartsWith("Request log error: ", StringComparison.Ordinal)))
            {
                logger.DumpLogMissing(ns, pod, container, lines[0]);
            }
            else
            {
                logs.Add(new SetPodLogs(TimeSpan.Zero, cluster, ns, pod, container, Previous: false, lines));
            }

            container = null;
            lines = null;
        }

        if (container is not null)
        {
            throw new ClusterDumpException(file, $"the log of container {container} has no '==== END logs ...' marker");
        }
    }

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
