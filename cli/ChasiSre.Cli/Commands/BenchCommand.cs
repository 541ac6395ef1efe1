using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ChasiSre.Cli.Bench;
using ChasiSre.Cli.Bench.Nab;

namespace ChasiSre.Cli.Commands;

/// <summary><c>chasi bench ...</c>: throughput measured against a baseline in the same process.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Run a benchmark; reports ratios against a baseline measured in the same run.");
        command.Subcommands.Add(Kafka());
        command.Subcommands.Add(Nab());
        command.Subcommands.Add(Ingest());
        command.Subcommands.Add(IngestFixture());
        command.Subcommands.Add(Bench.Rag.RagBenchCommand.Create());
        command.Subcommands.Add(Streams());
        command.Subcommands.Add(Bench.Gateway.GatewayBenchCommand.Create());
        command.Subcommands.Add(Bench.Gateway.GatewayBenchCommand.CreateFixture());
        command.Subcommands.Add(Bench.Diagnosis.DiagnosisBenchCommand.Create());
        return command;
    }

    private static Command Kafka()
    {
        var format = OutputFormatOption.Create();
        var records = new Option<int>("--records") { Description = "Records per round and side.", DefaultValueFactory = _ => 40_000 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds; the median counts.", DefaultValueFactory = _ => 5 };
        var partitions = new Option<int>("--partitions") { Description = "Partitions of the benchmark topics (the embedded cluster keeps about 5 MB per partition).", DefaultValueFactory = _ => 48 };
        var command = new Command("kafka", "Protobuf object snapshots (2-8 KB) through the client factory vs raw byte arrays of the same size, on the embedded cluster.")
        {
            format, records, rounds, partitions,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var benchmark = new KafkaBenchmark(result.GetValue(records), result.GetValue(rounds), 2048, 8192, result.GetValue(partitions));
            var report = await benchmark.RunAsync(cancellationToken);
            Print(report, result.GetValue(format));
            return 0;
        });
        return command;
    }

    private static Command Streams()
    {
        var format = OutputFormatOption.Create();
        var events = new Option<int>("--events") { Description = "Records through each topology (objects, events, log lines).", DefaultValueFactory = _ => 1_000_000 };
        var pool = new Option<int>("--distinct") { Description = "Distinct records cycled (the state's size).", DefaultValueFactory = _ => 20_000 };
        var partitions = new Option<int>("--partitions") { Description = "Partitions of every topic.", DefaultValueFactory = _ => 12 };
        var rate = new Option<double>("--latency-rate") { Description = "Input records per second while latency is measured.", DefaultValueFactory = _ => 5000 };
        var window = new Option<double>("--latency-seconds") { Description = "Length of the latency window.", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated records.", DefaultValueFactory = _ => 7 };
        var flush = new Option<double?>("--flush-ms") { Description = "The topology's flush interval (default: StreamsOptions.FlushInterval)." };
        var repartition = new Option<bool>("--repartition") { Description = "Produce with the default partitioner and let the topology repartition by fleet (default: inputs partitioned by fleet, as ingest produces them)." };
        var command = new Command("streams", "The Streamiz detection topology vs a pass-through topology on the same records (throughput), then produced-to-incident latency at a fixed rate, on the embedded Kafka.")
        {
            format, events, pool, partitions, rate, window, seed, flush, repartition,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var benchmark = new Bench.Streams.StreamsBenchmark(result.GetValue(events), result.GetValue(pool), result.GetValue(partitions), result.GetValue(rate), TimeSpan.FromSeconds(result.GetValue(window)), result.GetValue(seed), result.GetValue(flush) is { } ms ? TimeSpan.FromMilliseconds(ms) : null, !result.GetValue(repartition));
            Print(await benchmark.RunAsync(cancellationToken), result.GetValue(format));
            return 0;
        });
        return command;
    }

    private static Command Ingest()
    {
        var format = OutputFormatOption.Create();
        var pods = new Option<int>("--pods") { Description = "Pods across the vClusters (each also has a host twin).", DefaultValueFactory = _ => 10_000 };
        var vclusters = new Option<int>("--vclusters") { Description = "vClusters on the simulated host.", DefaultValueFactory = _ => 20 };
        var steady = new Option<double>("--steady-seconds") { Description = "Length of the steady-state window (one pod change per vCluster per second).", DefaultValueFactory = _ => 30 };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated fleet.", DefaultValueFactory = _ => 7 };
        var command = new Command("ingest", "Watchers against simulated host + vClusters into the embedded Kafka: initial sync, steady-state requests, k8sgpt's per-scan requests on the same clusters, vs raw produce.")
        {
            format, pods, vclusters, steady, seed,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var benchmark = new Bench.Ingest.IngestBenchmark(result.GetValue(pods), result.GetValue(vclusters), result.GetValue(steady), result.GetValue(seed));
            Print(await benchmark.RunAsync(cancellationToken), result.GetValue(format));
            return 0;
        });
        return command;
    }

    private static Command IngestFixture()
    {
        var pods = new Option<int>("--pods") { Required = true };
        var vclusters = new Option<int>("--vclusters") { Required = true };
        var seed = new Option<int>("--seed") { Required = true };
        var command = new Command("ingest-fixture", "The simulators and Kafka of `bench ingest`, in their own process (internal).") { pods, vclusters, seed };
        command.Hidden = true;
        command.SetAction((result, cancellationToken) => Bench.Ingest.IngestBenchFixture.RunAsync(result.GetValue(pods), result.GetValue(vclusters), result.GetValue(seed), cancellationToken));
        return command;
    }

    private static Command Nab()
    {
        var format = OutputFormatOption.Create();
        var data = new Option<string>("--data")
        {
            Description = "NAB checkout (data/, labels/combined_windows.json, config/profiles.json); defaults to ../shared/bench/nab next to the repository.",
            DefaultValueFactory = _ => NabBenchmark.DefaultDataRoot(),
        };
        var command = new Command("nab", "Numenta Anomaly Benchmark: null, spectral residual and rolling z-score detectors, NAB-normalised scores per profile.")
        {
            format, data,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var report = new NabBenchmark(result.GetValue(data)!).Run(cancellationToken);
            Print(report, result.GetValue(format));
            return Task.FromResult(0);
        });
        return command;
    }

    internal static void Print(BenchmarkReport report, OutputFormat format)
    {
        if (format == OutputFormat.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.BenchmarkReport));
            return;
        }

        Console.Out.WriteLine($"benchmark {report.Name}");
        foreach (var (section, values) in new[] { ("metrics", report.Metrics), ("baseline", report.Baseline), ("ratios", report.Ratios) })
        {
            foreach (var (key, value) in values)
            {
                Console.Out.WriteLine($"  {section,-9} {key,-40} {value.ToString("G6", CultureInfo.InvariantCulture)}");
            }
        }

        foreach (var (key, value) in report.Parameters)
        {
            Console.Out.WriteLine($"  {"params",-9} {key,-40} {value}");
        }
    }
}
