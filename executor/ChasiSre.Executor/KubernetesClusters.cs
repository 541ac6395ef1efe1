using System.Collections.Concurrent;
using k8s;
using Microsoft.Extensions.Options;

namespace ChasiSre.Executor;

/// <summary>
/// The executor's Kubernetes clients, one per cluster it has credentials for: <see cref="ExecutorOptions.Clusters"/>
/// maps an <c>ObjectRef.cluster</c> to a context of the executor's own <see cref="ExecutorOptions.Kubeconfig"/>, and
/// <see cref="ExecutorOptions.InCluster"/> names the cluster the pod runs in (its service account's credentials).
/// Clients are built on first use and kept.
/// </summary>
public sealed class KubernetesClusters : IDisposable
{
    private readonly ExecutorOptions options;
    private readonly ConcurrentDictionary<string, Lazy<IKubernetes>> clients = new(StringComparer.Ordinal);

    public KubernetesClusters(IOptions<ExecutorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
    }

    /// <summary>True when the executor has credentials for <paramref name="cluster"/>.</summary>
    public bool Knows(string cluster) => options.Clusters.ContainsKey(cluster) || (options.InCluster.Length > 0 && cluster == options.InCluster);

    /// <summary>The client for <paramref name="cluster"/>.</summary>
    /// <exception cref="ClusterCredentialsException">No context is mapped for it.</exception>
    public IKubernetes For(string cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (options.InCluster.Length > 0 && cluster == options.InCluster)
        {
            if (!KubernetesClientConfiguration.IsInCluster())
            {
                throw new ClusterCredentialsException(
                    $"{ExecutorOptions.SectionName}:InCluster names cluster '{cluster}', but the executor does not run in a pod with a service account token (KUBERNETES_SERVICE_HOST and the mounted token)");
            }

            return clients.GetOrAdd(cluster, _ => new Lazy<IKubernetes>(() => Build(KubernetesClientConfiguration.InClusterConfig()))).Value;
        }

        if (!options.Clusters.TryGetValue(cluster, out var context))
        {
            throw new ClusterCredentialsException(
                $"the executor has no credentials for cluster '{cluster}' ({ExecutorOptions.SectionName}:Clusters maps {(options.Clusters.Count == 0 ? "none" : string.Join(", ", options.Clusters.Keys.Order(StringComparer.Ordinal)))}{(options.InCluster.Length > 0 ? $"; {ExecutorOptions.SectionName}:InCluster is '{options.InCluster}'" : "")})");
        }

        return clients.GetOrAdd(cluster, _ => new Lazy<IKubernetes>(() => Build(KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Kubeconfig, currentContext: context)))).Value;
    }

    private Kubernetes Build(KubernetesClientConfiguration config)
    {
        config.HttpClientTimeout = options.RequestTimeout;
        return new Kubernetes(config);
    }

    public void Dispose()
    {
        foreach (var client in clients.Values.Where(c => c.IsValueCreated))
        {
            client.Value.Dispose();
        }

        clients.Clear();
    }
}
