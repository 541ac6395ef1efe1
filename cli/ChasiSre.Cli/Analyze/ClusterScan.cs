using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChasiSre.Ingest;
using ChasiSre.Ingest.Scenarios;
using ChasiSre.Schemas.V1;
using k8s;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Cli.Analyze;

/// <summary>
/// One scan of a live cluster with ingest's production parts and no watches: the connection ingest makes
/// (<see cref="IngestAgent.RootConfiguration"/>: kubeconfig and context, else in-cluster, else the default kubeconfig),
/// discovery of the resources it watches, one paginated <see cref="KubeApiClient.ListPageAsync"/> list of each,
/// <see cref="ObjectNormalizer"/> and <see cref="TenantResolver"/> as the watchers use them, and the logs of the containers
/// <see cref="PodTrouble"/> picks, parsed by <see cref="LogLineParser"/> (host twins of vCluster pods skipped, as ingest
/// skips them). With vCluster discovery, the host's <c>app=vcluster</c> StatefulSets and Deployments and their
/// <c>vc-&lt;name&gt;</c> kubeconfig secrets name the vClusters (VCLUSTER.md), each scanned the same way.
/// </summary>
internal sealed class ClusterScan
{
    private readonly IngestOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;

    public ClusterScan(IngestOptions options, TimeProvider timeProvider, ILogger logger)
    {
        this.options = options;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    /// <summary>Scans the cluster <see cref="IngestOptions"/> points at (and its vClusters when <see cref="IngestOptions.DiscoverVClusters"/>).</summary>
    /// <exception cref="AnalyzeSourceException">The cluster cannot be reached or its configuration is unusable.</exception>
    public async Task<AnalyzeInput> ScanAsync(CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        var warnings = new List<string>();
        var pattern = string.IsNullOrEmpty(options.TenantNamespacePattern)
            ? null
            : new Regex(options.TenantNamespacePattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
        var tenants = new TenantResolver(pattern);
        var host = ClusterIdentity.Host(options.ClusterName);
        KubernetesClientConfiguration configuration;
        try
        {
            configuration = IngestAgent.RootConfiguration(options);
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException or YamlDotNet.Core.YamlException or ArgumentException or InvalidOperationException)
        {
            throw new AnalyzeSourceException($"no usable cluster configuration ({Where()}): {e.Message}", e);
        }

        List<(KubeResource Resource, JsonElement Item)> hostObjects;
        using (var client = new KubeApiClient(configuration, options.RequestTimeout))
        {
            try
            {
                hostObjects = await ListAsync(client, cancellationToken);
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or JsonException)
            {
                throw new AnalyzeSourceException($"cluster {client.BaseUri} ({Where()}) cannot be listed: {e.Message}", e);
            }

            var vclusters = options.DiscoverVClusters ? Discover(hostObjects, tenants) : [];
            var records = new List<DetectionInput>();
            await NormalizeAsync(client, new ObjectNormalizer(host, tenants, options.IncludeConfigMapData), hostObjects, records, warnings, now, cancellationToken);
            var clusters = new List<string> { host.Cluster };
            foreach (var vcluster in vclusters)
            {
                await ScanVClusterAsync(host, vcluster, tenants, records, clusters, warnings, now, cancellationToken);
            }

            return new AnalyzeInput("cluster", clusters, now, [new ScenarioRecordBatch(TimeSpan.Zero, records)], warnings);
        }
    }

    private string Where() =>
        options.Kubeconfig is { Length: > 0 } file ? $"kubeconfig {file}{(options.Context is { Length: > 0 } c ? $", context {c}" : "")}"
        : KubernetesClientConfiguration.IsInCluster() ? "in-cluster service account"
        : $"default kubeconfig{(options.Context is { Length: > 0 } context ? $", context {context}" : "")}";

    private async Task ScanVClusterAsync(ClusterIdentity host, FoundVCluster vcluster, TenantResolver tenants, List<DetectionInput> records, List<string> clusters, List<string> warnings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var label = $"vCluster {vcluster.Namespace}/{vcluster.Name}";
        if (vcluster.Kubeconfig is null)
        {
            warnings.Add($"{label}: not scanned: secret {VClusterNaming.KubeconfigSecretName(vcluster.Name)} with a kubeconfig not found");
            return;
        }

        var endpoint = options.VClusterEndpoints.TryGetValue($"{vcluster.Namespace}/{vcluster.Name}", out var configured)
            ? configured
            : options.VClusterEndpointTemplate.Replace("{name}", vcluster.Name, StringComparison.Ordinal).Replace("{namespace}", vcluster.Namespace, StringComparison.Ordinal);
        KubeApiClient client;
        try
        {
            using var stream = new MemoryStream(vcluster.Kubeconfig, writable: false);
            var configuration = await KubernetesClientConfiguration.BuildConfigFromConfigFileAsync(stream);
            configuration.Host = endpoint;
            client = new KubeApiClient(configuration, options.RequestTimeout);
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or FormatException or YamlDotNet.Core.YamlException or ArgumentException or InvalidOperationException or System.Security.Cryptography.CryptographicException)
        {
            warnings.Add($"{label}: not scanned: secret {VClusterNaming.KubeconfigSecretName(vcluster.Name)} is unusable: {e.Message}");
            return;
        }

        using (client)
        {
            List<(KubeResource Resource, JsonElement Item)> objects;
            try
            {
                objects = await ListAsync(client, cancellationToken);
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or JsonException)
            {
                warnings.Add($"{label}: not scanned: API {endpoint} cannot be listed: {e.Message}");
                return;
            }

            var identity = ClusterIdentity.VCluster(vcluster.Name, vcluster.Tenant, host.Cluster, vcluster.Namespace);
            await NormalizeAsync(client, new ObjectNormalizer(identity, tenants, options.IncludeConfigMapData), objects, records, warnings, now, cancellationToken);
            clusters.Add($"{vcluster.Name} ({vcluster.Namespace})");
        }
    }

    /// <summary>One list of every resource ingest watches that the server serves (discovery as the watchers do it).</summary>
    private async Task<List<(KubeResource Resource, JsonElement Item)>> ListAsync(KubeApiClient client, CancellationToken cancellationToken)
    {
        var paths = KubeResources.Default.Select(r => r.GroupVersionPath).Distinct(StringComparer.Ordinal).ToList();
        var answers = await Task.WhenAll(paths.Select(path => client.ServedResourcesAsync(path, cancellationToken)));
        var served = paths.Zip(answers).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
        var objects = new List<(KubeResource, JsonElement)>();
        foreach (var resource in KubeResources.Default.Where(r => served[r.GroupVersionPath].Contains(r.Plural)))
        {
            string? continueToken = null;
            do
            {
                using var page = await client.ListPageAsync(resource, options.PageSize, continueToken, cancellationToken: cancellationToken);
                objects.AddRange(page.Items.Select(item => (resource, item.Clone())));
                continueToken = page.Continue;
            }
            while (continueToken is not null);
        }

        Log.AnalyzeListed(logger, objects.Count, client.BaseUri);
        return objects;
    }

    /// <summary>Snapshots and events as the watchers publish them, then the logs of containers in trouble.</summary>
    private async Task NormalizeAsync(KubeApiClient client, ObjectNormalizer normalizer, List<(KubeResource Resource, JsonElement Item)> objects, List<DetectionInput> records, List<string> warnings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var troubled = new List<(ObjectRef Pod, PodTrouble Trouble)>();
        var events = new List<DetectionInput>();
        foreach (var (resource, item) in objects)
        {
            try
            {
                if (resource == KubeResources.Events)
                {
                    events.Add(new DetectionInput { Event = normalizer.Event(item, now) });
                    continue;
                }

                var snapshot = normalizer.Snapshot(resource, item, fromList: true, now);
                if (snapshot.CalculateSize() > options.MaxRecordBytes)
                {
                    // As ingest publishes it: without its JSON (the broker would refuse the record).
                    warnings.Add($"{normalizer.Identity}: {resource.Kind} {snapshot.Ref.Namespace}/{snapshot.Ref.Name} is larger than {options.MaxRecordBytes} bytes; analyzed without its JSON");
                    snapshot.ObjectJson = Google.Protobuf.ByteString.Empty;
                    snapshot.ObjectJsonOmitted = true;
                }

                records.Add(new DetectionInput { Object = new ObjectRecord { Snapshot = snapshot } });
                if (resource == KubeResources.Pods && options.Logs.Enabled && (options.Logs.FetchHostTwins || snapshot.Ref.Layer != Layer.Host || snapshot.Ref.Twin is null))
                {
                    troubled.AddRange(PodTrouble.Find(item).Select(t => (snapshot.Ref, t)));
                }
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException or ArgumentException)
            {
                // Ingest dead-letters what it cannot normalize; a one-shot scan says so and goes on.
                warnings.Add($"{normalizer.Identity}: a {resource.Kind} could not be normalized: {e.Message}");
            }
        }

        records.AddRange(events);
        var lines = new ConcurrentDictionary<int, IReadOnlyList<LogRecord>>();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, troubled.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Logs.MaxConcurrentFetches), CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var (pod, trouble) = troubled[i];
                try
                {
                    var text = await client.GetLogAsync(pod.Namespace, pod.Name, trouble.Container, trouble.Previous, options.Logs.TailLines, options.Logs.MaxBytes, ct);
                    lines[i] = LogLineParser.Parse(pod, trouble.Container, trouble.Previous, text, options.Logs.MaxLineLength, now);
                }
                catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException)
                {
                    // No previous container yet, the pod already gone: nothing to read, as for ingest.
                    Log.AnalyzeLogUnavailable(logger, pod.Namespace, pod.Name, trouble.Container, trouble.Previous, e.Message);
                }
            });
        foreach (var i in lines.Keys.Order())
        {
            records.AddRange(lines[i].Select(line => new DetectionInput { Log = line }));
        }
    }

    /// <summary>The vClusters the host's objects name, per VCLUSTER.md, with their tenants registered in <paramref name="tenants"/>.</summary>
    private static List<FoundVCluster> Discover(List<(KubeResource Resource, JsonElement Item)> hostObjects, TenantResolver tenants)
    {
        var found = new Dictionary<string, FoundVCluster>(StringComparer.Ordinal);
        var secrets = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        foreach (var (resource, item) in hostObjects)
        {
            var metadata = Property(item, "metadata");
            var ns = Text(metadata, "namespace");
            var name = Text(metadata, "name");
            if (ns is null || name is null)
            {
                continue;
            }

            var labels = Property(metadata, "labels");
            if (resource == KubeResources.Secrets && name.StartsWith("vc-", StringComparison.Ordinal) && !name.StartsWith("vc-config-", StringComparison.Ordinal))
            {
                var vclusterName = Text(labels, VClusterNaming.VClusterNameLabel) ?? name[3..];
                if (VClusterNaming.KubeconfigSecretName(vclusterName) == name)
                {
                    // The secret's value is read here and nowhere else; its snapshot carries key names only.
                    secrets[$"{ns}/{vclusterName}"] = Text(Property(item, "data"), "config") is { } config ? Decode(config) : null;
                }
            }
            else if ((resource == KubeResources.StatefulSets || resource == KubeResources.Deployments)
                     && Text(labels, VClusterNaming.AppLabel) == VClusterNaming.AppLabelValue
                     && Text(Property(metadata, "annotations"), VClusterNaming.PausedAnnotation) != "true")
            {
                var vclusterName = Text(labels, VClusterNaming.ReleaseLabel) ?? name;
                var tenant = Text(labels, TenantResolver.TenantLabel) is { Length: > 0 } labelled ? labelled
                    : tenants.TenantFromNamespaceName(ns) is { Length: > 0 } fromName ? fromName
                    : vclusterName;
                found[$"{ns}/{vclusterName}"] = new FoundVCluster(ns, vclusterName, tenant, null);
            }
        }

        var result = new List<FoundVCluster>();
        foreach (var (key, vcluster) in found.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            tenants.SetVCluster(vcluster.Namespace, vcluster.Name, vcluster.Tenant);
            result.Add(vcluster with { Kubeconfig = secrets.GetValueOrDefault(key) });
        }

        return result;
    }

    private static byte[]? Decode(string base64)
    {
        var bytes = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, bytes, out var written) ? bytes[..written] : null;
    }

    private static JsonElement? Property(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) ? value : null;

    private static string? Text(JsonElement? element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private sealed record FoundVCluster(string Namespace, string Name, string Tenant, byte[]? Kubeconfig);
}
