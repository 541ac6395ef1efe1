using k8s;
using Microsoft.Extensions.Options;

namespace ChasiSre.Executor;

/// <summary>
/// Checks what DataAnnotations cannot: a kubeconfig when clusters are mapped, every mapped context present in it, and
/// absolute http(s) adapter addresses. Runs on start (<c>ValidateOnStart</c>), so a typo in a context name stops the
/// executor instead of failing its first action.
/// </summary>
internal sealed class ExecutorOptionsValidator : IValidateOptions<ExecutorOptions>
{
    public ValidateOptionsResult Validate(string? name, ExecutorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.InCluster.Length > 0 && options.Clusters.ContainsKey(options.InCluster))
        {
            errors.Add($"{ExecutorOptions.SectionName}:InCluster and {ExecutorOptions.SectionName}:Clusters both name cluster '{options.InCluster}': give it one set of credentials");
        }

        if (options.Clusters.Count > 0)
        {
            if (options.Kubeconfig.Length == 0)
            {
                errors.Add($"{ExecutorOptions.SectionName}:Kubeconfig is required when {ExecutorOptions.SectionName}:Clusters maps clusters");
            }
            else if (!File.Exists(options.Kubeconfig))
            {
                errors.Add($"{ExecutorOptions.SectionName}:Kubeconfig '{options.Kubeconfig}' does not exist");
            }
            else
            {
                try
                {
                    var config = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(options.Kubeconfig));
                    var contexts = (config.Contexts ?? []).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
                    foreach (var (cluster, context) in options.Clusters.OrderBy(c => c.Key, StringComparer.Ordinal))
                    {
                        if (!contexts.Contains(context))
                        {
                            errors.Add($"{ExecutorOptions.SectionName}:Clusters:{cluster}: context '{context}' is not in {options.Kubeconfig} (it has {string.Join(", ", contexts.Order(StringComparer.Ordinal))})");
                        }
                    }
                }
                catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException or YamlDotNet.Core.YamlException)
                {
                    errors.Add($"{ExecutorOptions.SectionName}:Kubeconfig '{options.Kubeconfig}' cannot be read: {e.Message}");
                }
            }
        }

        foreach (var (key, adapter) in options.Adapters.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (key.Split('/') is not { Length: 3 } parts || parts.Any(p => p.Length == 0))
            {
                errors.Add($"{ExecutorOptions.SectionName}:Adapters:{key}: the key must be cluster/namespace/name of the BusinessAdapter");
            }

            if (adapter.Url is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{ExecutorOptions.SectionName}:Adapters:{key}:Url must be an absolute http or https address");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
