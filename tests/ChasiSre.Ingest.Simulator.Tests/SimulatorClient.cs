using k8s;

namespace ChasiSre.Ingest.Simulator.Tests;

/// <summary>A started simulator plus a KubernetesClient built from the kubeconfig it writes.</summary>
internal sealed class SimulatorClient : IAsyncDisposable
{
    private readonly string _directory;

    private SimulatorClient(ApiServerSimulator simulator, string directory)
    {
        Simulator = simulator;
        _directory = directory;
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(simulator.WriteKubeconfig(Path.Combine(directory, "kubeconfig")));
        Client = new Kubernetes(config);
        Http = new HttpClient { BaseAddress = simulator.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public ApiServerSimulator Simulator { get; }

    public Kubernetes Client { get; }

    public HttpClient Http { get; }

    public static async Task<SimulatorClient> StartAsync(Action<ApiServerSimulatorOptions>? configure = null)
    {
        var options = new ApiServerSimulatorOptions { ClusterName = "test" };
        configure?.Invoke(options);
        var simulator = await ApiServerSimulator.StartAsync(options, TestContext.Current.CancellationToken);
        return new SimulatorClient(simulator, Directory.CreateTempSubdirectory("chasi-sim-").FullName);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Http.Dispose();
        await Simulator.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
