using System.Text.Json.Nodes;
using ChasiSre.Ingest.Simulator;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Ingest.Metrics.Tests;

/// <summary>A simulated API server, a client for it, and the metric pipeline into a recording sink.</summary>
internal sealed class TestCluster : IAsyncDisposable
{
    private readonly string directory;

    private TestCluster(ApiServerSimulator simulator, KubeApiClient client, string directory)
    {
        Simulator = simulator;
        Client = client;
        this.directory = directory;
    }

    public ApiServerSimulator Simulator { get; }

    public KubeApiClient Client { get; }

    public static async Task<TestCluster> StartAsync(string name, CancellationToken cancellationToken)
    {
        var simulator = await ApiServerSimulator.StartAsync(new ApiServerSimulatorOptions { ClusterName = name }, cancellationToken);
        var directory = Path.Combine(Path.GetTempPath(), $"chasi-metrics-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var kubeconfig = simulator.WriteKubeconfig(Path.Combine(directory, "kubeconfig"));
        var client = new KubeApiClient(k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig), TimeSpan.FromSeconds(5));
        return new TestCluster(simulator, client, directory);
    }

    public static MetricPublisher Publisher(IMetricSink sink, MetricsIngestOptions options, TimeProvider? timeProvider = null) =>
        new(new MetricNormalizer(options, timeProvider ?? TimeProvider.System), sink, options, timeProvider ?? TimeProvider.System, NullLogger<MetricPublisher>.Instance);

    public static JsonObject Pod(string ns, string name, string phase, string? ip, IReadOnlyDictionary<string, string>? annotations = null, int? containerPort = null)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns, ["uid"] = $"uid-{name}" };
        if (annotations is not null)
        {
            var values = new JsonObject();
            foreach (var (key, value) in annotations)
            {
                values[key] = value;
            }

            metadata["annotations"] = values;
        }

        var container = new JsonObject { ["name"] = "app", ["image"] = "app:1" };
        if (containerPort is { } port)
        {
            container["ports"] = new JsonArray(new JsonObject { ["containerPort"] = port, ["protocol"] = "TCP" });
        }

        var status = new JsonObject { ["phase"] = phase };
        if (ip is not null)
        {
            status["podIP"] = ip;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(container) },
            ["status"] = status,
        };
    }

    public static Dictionary<string, string> Scrape(int port, string? path = null)
    {
        var annotations = new Dictionary<string, string>
        {
            [ScrapeTargets.ScrapeAnnotation] = "true",
            [ScrapeTargets.PortAnnotation] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (path is not null)
        {
            annotations[ScrapeTargets.PathAnnotation] = path;
        }

        return annotations;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Simulator.DisposeAsync();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a client being torn down: the OS temp cleaner gets it.
        }
    }
}
