using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace ChasiSre.Operator;

/// <summary>A vCluster found on the host: its name, host namespace, tenant and the labels of its workload.</summary>
public sealed record VClusterTarget(string Name, string Namespace, string Tenant, IReadOnlyDictionary<string, string> Labels);

/// <summary>
/// Finds the vClusters on the host as the vcluster CLI does (StatefulSets, then Deployments, labelled <c>app=vcluster</c>,
/// named by their <c>release</c> label; VCLUSTER.md) and connects to one with its <c>vc-&lt;name&gt;</c> kubeconfig Secret
/// (key <c>config</c>), at the endpoint template (default <c>https://&lt;name&gt;.&lt;namespace&gt;:443</c>, a SAN of the
/// vCluster's serving certificate), because the kubeconfig's own server is <c>https://localhost:8443</c>.
/// </summary>
public sealed class VClusterConnector(IKubernetes host, TimeSpan requestTimeout)
{
    /// <summary>The vClusters that match the agent's scope: selector over the workload's labels, host namespaces, tenants.</summary>
    public async Task<IReadOnlyList<VClusterTarget>> FindAsync(AgentSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var found = new Dictionary<(string, string), VClusterTarget>();
        var pattern = new Regex(spec.TenantNamespacePattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        void Add(V1ObjectMeta metadata)
        {
            var labels = metadata.Labels ?? new Dictionary<string, string>();
            var name = labels.TryGetValue("release", out var release) && release.Length > 0 ? release : metadata.Name;
            var match = pattern.Match(metadata.NamespaceProperty);
            var tenant = match.Success && match.Groups["tenant"].Success ? match.Groups["tenant"].Value : name;
            found.TryAdd((metadata.NamespaceProperty, name), new VClusterTarget(name, metadata.NamespaceProperty, tenant, new Dictionary<string, string>(labels, StringComparer.Ordinal)));
        }

        var statefulSets = await host.AppsV1.ListStatefulSetForAllNamespacesAsync(labelSelector: "app=vcluster", cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var item in statefulSets.Items)
        {
            Add(item.Metadata);
        }

        var deployments = await host.AppsV1.ListDeploymentForAllNamespacesAsync(labelSelector: "app=vcluster", cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var item in deployments.Items)
        {
            Add(item.Metadata);
        }

        return found.Values
            .Where(v => spec.ScopeNamespaces.Count == 0 || spec.ScopeNamespaces.Contains(v.Namespace, StringComparer.Ordinal))
            .Where(v => spec.ScopeTenants.Count == 0 || spec.ScopeTenants.Contains(v.Tenant, StringComparer.Ordinal))
            .Where(v => LabelSelectorMatcher.Matches(spec.VClusterSelector, v.Labels))
            .OrderBy(v => v.Namespace, StringComparer.Ordinal)
            .ThenBy(v => v.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>A client for the vCluster's API server, or the reason there is none (no Secret, no <c>config</c> key, a bad kubeconfig).</summary>
    public async Task<(IKubernetes? Client, string? Problem)> ConnectAsync(VClusterTarget vcluster, string endpointTemplate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vcluster);
        ArgumentException.ThrowIfNullOrEmpty(endpointTemplate);
        var secretName = "vc-" + vcluster.Name;
        V1Secret secret;
        try
        {
            secret = await host.CoreV1.ReadNamespacedSecretAsync(secretName, vcluster.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return (null, $"secret {vcluster.Namespace}/{secretName} not found");
        }

        if (secret.Data is null || !secret.Data.TryGetValue("config", out var kubeconfig) || kubeconfig.Length == 0)
        {
            return (null, $"secret {vcluster.Namespace}/{secretName} has no 'config' key");
        }

        try
        {
            using var stream = new MemoryStream(kubeconfig, writable: false);
            var configuration = await KubernetesClientConfiguration.BuildConfigFromConfigFileAsync(stream).ConfigureAwait(false);
            configuration.Host = endpointTemplate.Replace("{name}", vcluster.Name, StringComparison.Ordinal).Replace("{namespace}", vcluster.Namespace, StringComparison.Ordinal);
            configuration.HttpClientTimeout = requestTimeout;
            return (new Kubernetes(configuration), null);
        }
        catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or FormatException or YamlDotNet.Core.YamlException or ArgumentException or InvalidOperationException or System.Security.Cryptography.CryptographicException)
        {
            return (null, $"secret {vcluster.Namespace}/{secretName} holds an unusable kubeconfig: {ex.Message}");
        }
    }
}

/// <summary>metav1.LabelSelector semantics over a label set: every matchLabels pair and every matchExpressions requirement.</summary>
internal static class LabelSelectorMatcher
{
    public static bool Matches(JsonObject selector, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, value) in selector["matchLabels"] as JsonObject ?? [])
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value?.GetValue<string>())
            {
                return false;
            }
        }

        foreach (var expression in (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = expression["key"]!.GetValue<string>();
            var values = (expression["values"] as JsonArray ?? []).Select(v => v?.GetValue<string>()).ToList();
            var has = labels.TryGetValue(key, out var actual);
            var ok = expression["operator"]?.GetValue<string>() switch
            {
                "In" => has && values.Contains(actual),
                "NotIn" => !has || !values.Contains(actual),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
