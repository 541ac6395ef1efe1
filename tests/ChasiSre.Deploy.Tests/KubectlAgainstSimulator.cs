using ChasiSre.Ingest.Simulator;

namespace ChasiSre.Deploy.Tests;

/// <summary>The real kubectl pointed at a fresh API server simulator through a kubeconfig in a temp directory.</summary>
internal sealed class KubectlAgainstSimulator : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string _kubeconfig;
    private readonly string _kubectl;

    private KubectlAgainstSimulator(ApiServerSimulator cluster, string directory, string kubectl)
    {
        Cluster = cluster;
        _directory = directory;
        _kubectl = kubectl;
        _kubeconfig = cluster.WriteKubeconfig(Path.Combine(directory, "kubeconfig"), "chasi-system");
    }

    public ApiServerSimulator Cluster { get; }

    public static async Task<KubectlAgainstSimulator> StartAsync(CancellationToken cancellationToken)
    {
        var kubectl = await HelmBinary.KubectlAsync(cancellationToken);
        var directory = Directory.CreateTempSubdirectory("chasi-kubectl-").FullName;
        var cluster = await ApiServerSimulator.StartAsync(new ApiServerSimulatorOptions { ClusterName = "host" }, cancellationToken);
        return new KubectlAgainstSimulator(cluster, directory, kubectl);
    }

    /// <summary>Runs kubectl with this cluster's kubeconfig (and its own cache directory, so parallel tests never share discovery).</summary>
    public Task<ProcessRunner.Result> RunAsync(string? stdin, string[] args, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(_kubectl, ["--kubeconfig", _kubeconfig, "--cache-dir", Path.Combine(_directory, "cache"), "--request-timeout", "30s", .. args], cancellationToken, stdin);

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
