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

    private static void Print(BenchmarkReport report, OutputFormat format)
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
