using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ChasiSre.Ingest.Gateway;
using ChasiSre.Ingest.Simulator;
using ChasiSre.Platform.Kafka.Embedded;

namespace ChasiSre.Cli.Bench.Gateway;

/// <summary>
/// The gateway benchmark's other process: the embedded Kafka, a simulated host API server with one
/// annotated Pod (and its token Secret) per adapter across 20 tenant namespaces, and the adapter fleet,
/// so that the CPU and memory the benchmark reports are the gateway's alone. It prints one JSON line
/// (bootstrap servers, kubeconfig), then answers <c>counts</c> (adapter requests served) and <c>quit</c> on stdin.
/// </summary>
internal static class GatewayBenchFixture
{
    public static async Task<int> RunAsync(int adapters, CancellationToken cancellationToken)
    {
        using var kafka = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { Brokers = 1 });
        kafka.CreateCatalogTopics();
        await using var fleet = await BenchAdapterFleet.StartAsync(adapters, cancellationToken);
        await using var host = await ApiServerSimulator.StartAsync(new ApiServerSimulatorOptions { ClusterName = "host", BookmarkInterval = TimeSpan.FromMinutes(1) }, cancellationToken);
        var ports = fleet.Ports;
        for (var t = 0; t < 20; t++)
        {
            host.Apply(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Secret",
                ["metadata"] = new JsonObject { ["namespace"] = Namespace(t), ["name"] = "orders-token" },
                ["data"] = new JsonObject { ["token"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(BenchAdapterFleet.Token)) },
            });
        }

        for (var i = 0; i < ports.Count; i++)
        {
            host.Apply(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Pod",
                ["metadata"] = new JsonObject
                {
                    ["namespace"] = Namespace(i % 20),
                    ["name"] = string.Create(CultureInfo.InvariantCulture, $"orders-{i}"),
                    ["annotations"] = new JsonObject
                    {
                        [AdapterAnnotations.Adapter] = "http",
                        [AdapterAnnotations.Port] = ports[i].ToString(CultureInfo.InvariantCulture),
                        [AdapterAnnotations.TokenSecret] = "orders-token",
                    },
                },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "orders:1" }) },
                ["status"] = new JsonObject { ["phase"] = "Running", ["podIP"] = "127.0.0.1" },
            });
        }

        var kubeconfig = host.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"chasi-bench-gateway-{Environment.ProcessId}.kubeconfig"));
        try
        {
            await Console.Out.WriteLineAsync(new JsonObject { ["bootstrap"] = kafka.BootstrapServers, ["kubeconfig"] = kubeconfig, ["adapters"] = ports.Count }.ToJsonString());
            await Console.Out.FlushAsync(cancellationToken);
            while (await Console.In.ReadLineAsync(cancellationToken) is { } command)
            {
                switch (command)
                {
                    case "counts":
                        await Console.Out.WriteLineAsync(new JsonObject { ["requests"] = fleet.Requests }.ToJsonString());
                        break;
                    case "quit":
                        return 0;
                    default:
                        await Console.Error.WriteLineAsync($"unknown fixture command '{command}'");
                        return 2;
                }

                await Console.Out.FlushAsync(cancellationToken);
            }

            return 0;
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }

    private static string Namespace(int tenant) => string.Create(CultureInfo.InvariantCulture, $"ns-tenant-{tenant:D2}");
}
