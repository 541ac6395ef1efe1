using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChasiSre.Executor.Tests;

public sealed class ExecutorOptionsValidatorTests
{
    [Fact]
    public void Validate_ContextMissingFromKubeconfig_FailsNamingIt()
    {
        var directory = Directory.CreateTempSubdirectory("chasi-executor-options-").FullName;
        try
        {
            var kubeconfig = Path.Combine(directory, "config");
            File.WriteAllText(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: host
                  cluster:
                    server: https://127.0.0.1:6443
                contexts:
                - name: ctx-host
                  context:
                    cluster: host
                    user: executor
                current-context: ctx-host
                users:
                - name: executor
                  user:
                    token: t
                """);
            var good = new ExecutorOptions { Kubeconfig = kubeconfig, Clusters = { ["host-1"] = "ctx-host" } };
            var bad = new ExecutorOptions { Kubeconfig = kubeconfig, Clusters = { ["host-1"] = "ctx-host", ["vc-shop"] = "ctx-shop" }, Adapters = { ["orders"] = new RunbookAdapterOptions { Url = new Uri("/relative", UriKind.Relative) } } };
            var validator = new ExecutorOptionsValidator();

            var ok = validator.Validate(null, good);
            var failed = validator.Validate(null, bad);

            Assert.True(ok.Succeeded);
            Assert.Equal(
                [
                    $"Executor:Clusters:vc-shop: context 'ctx-shop' is not in {kubeconfig} (it has ctx-host)",
                    "Executor:Adapters:orders: the key must be cluster/namespace/name of the BusinessAdapter",
                    "Executor:Adapters:orders:Url must be an absolute http or https address",
                ],
                failed.Failures);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void AddActionExecutor_ClustersWithoutKubeconfig_FailsOnStartValidation()
    {
        var services = new ServiceCollection();
        services.AddActionExecutor().Configure(o => o.Clusters["host-1"] = "ctx-host");
        services.AddActionExecutor();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ExecutorOptions>>().Value);

        Assert.Contains("Executor:Kubeconfig is required when Executor:Clusters maps clusters", error.Failures);
        Assert.Single(services, d => d.ServiceType == typeof(ExecutorService));
    }

    [Fact]
    public void InCluster_AlsoMappedToAContext_Fails_OutsideAPod_ActionsOnItFailNamingWhy()
    {
        var validator = new ExecutorOptionsValidator();
        var both = new ExecutorOptions { InCluster = "host-1", Kubeconfig = "/nonexistent", Clusters = { ["host-1"] = "ctx-host" } };
        var inCluster = new ExecutorOptions { InCluster = "host-1" };

        Assert.Contains("Executor:InCluster and Executor:Clusters both name cluster 'host-1': give it one set of credentials", validator.Validate(null, both).Failures!);
        Assert.True(validator.Validate(null, inCluster).Succeeded);

        using var clusters = new KubernetesClusters(Options.Create(inCluster));
        Assert.True(clusters.Knows("host-1"));
        Assert.False(clusters.Knows("vc-shop"));
        Assert.False(k8s.KubernetesClientConfiguration.IsInCluster());
        var error = Assert.Throws<ClusterCredentialsException>(() => clusters.For("host-1"));
        Assert.Equal("Executor:InCluster names cluster 'host-1', but the executor does not run in a pod with a service account token (KUBERNETES_SERVICE_HOST and the mounted token)", error.Message);
        Assert.Equal("the executor has no credentials for cluster 'vc-shop' (Executor:Clusters maps none; Executor:InCluster is 'host-1')", Assert.Throws<ClusterCredentialsException>(() => clusters.For("vc-shop")).Message);
    }
}
