using System.Text.Json.Nodes;
using ChasiSre.Ingest.Simulator;
using ChasiSre.Platform.Kafka.Embedded;

namespace ChasiSre.Cli.Bench.Ingest;

/// <summary>
/// The ingest benchmark's other process: the embedded Kafka cluster and the simulated host and
/// vClusters, so that the memory the benchmark reports is the ingest process's alone. It prints
/// one JSON line with the addresses, then answers commands on stdin: <c>counts</c> (API requests
/// served so far, by verb), <c>reset</c>, <c>churn</c> (one pod change per vCluster), <c>quit</c>.
/// </summary>
internal static class IngestBenchFixture
{
    public const string RawTopic = "bench.ingest.raw";

    public static async Task<int> RunAsync(int pods, int vclusterCount, int seed, CancellationToken cancellationToken)
    {
        using var kafka = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { Brokers = 1 });
        kafka.CreateCatalogTopics();
        kafka.CreateTopic(RawTopic, 12);
        var simulators = new List<ApiServerSimulator>();
        try
        {
            var host = await ApiServerSimulator.StartAsync(new ApiServerSimulatorOptions { ClusterName = "host", BookmarkInterval = TimeSpan.FromMinutes(1) }, cancellationToken);
            simulators.Add(host);
            var vclusters = new List<(ApiServerSimulator Simulator, string HostNamespace)>();
            for (var i = 0; i < vclusterCount; i++)
            {
                var name = $"tenant-{i:D2}";
                var simulator = await ApiServerSimulator.StartAsync(new ApiServerSimulatorOptions { ClusterName = name, BookmarkInterval = TimeSpan.FromMinutes(1) }, cancellationToken);
                simulators.Add(simulator);
                vclusters.Add((simulator, $"vcluster-{name}"));
            }

            var (objects, bytes) = SyntheticFleet.Populate(host, vclusters, pods, seed);
            var ready = new JsonObject
            {
                ["bootstrap"] = kafka.BootstrapServers,
                ["host"] = host.BaseAddress.ToString(),
                ["objects"] = objects,
                ["json_bytes"] = bytes,
                ["vclusters"] = new JsonArray([.. vclusters.Select(v => (JsonNode)new JsonObject
                {
                    ["name"] = v.Simulator.ClusterName,
                    ["namespace"] = v.HostNamespace,
                    ["url"] = v.Simulator.BaseAddress.ToString(),
                })]),
            };
            await Console.Out.WriteLineAsync(ready.ToJsonString());
            await Console.Out.FlushAsync(cancellationToken);

            var round = 0;
            while (await Console.In.ReadLineAsync(cancellationToken) is { } command)
            {
                switch (command)
                {
                    case "counts":
                        var counts = new JsonObject();
                        foreach (SimulatorVerb verb in Enum.GetValues<SimulatorVerb>())
                        {
                            counts[verb.ToString().ToLowerInvariant()] = simulators.Sum(s => s.Requests.Count(verb));
                        }

                        counts["total"] = simulators.Sum(s => s.Requests.Total);
                        await Console.Out.WriteLineAsync(counts.ToJsonString());
                        break;
                    case "reset":
                        simulators.ForEach(s => s.Requests.Reset());
                        await Console.Out.WriteLineAsync("{}");
                        break;
                    case "end-watches":
                        simulators.ForEach(s => s.Faults.EndWatches());
                        await Console.Out.WriteLineAsync("{}");
                        break;
                    case "churn":
                        SyntheticFleet.Churn(vclusters, round++);
                        await Console.Out.WriteLineAsync("{}");
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
            foreach (var simulator in simulators)
            {
                await simulator.DisposeAsync();
            }
        }
    }
}
