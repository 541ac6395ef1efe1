using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace ChasiSre.Cli.Bench.Gateway;

/// <summary><c>chasi bench gateway</c> and its fixture process, as <see cref="Command"/> factories.</summary>
internal static class GatewayBenchCommand
{
    public static Command Create()
    {
        var format = OutputFormatOption.Create();
        var adapters = new Option<int>("--adapters") { Description = "Adapters (one port each) the gateway discovers and polls.", DefaultValueFactory = _ => 500 };
        var interval = new Option<double>("--interval-seconds") { Description = "Poll interval of every adapter.", DefaultValueFactory = _ => 15 };
        var duration = new Option<double>("--duration-seconds") { Description = "Length of the measured window (after one interval of warm-up).", DefaultValueFactory = _ => 60 };
        var command = new Command("gateway", "The adapter gateway polling N adapters discovered from a simulated API server into the embedded Kafka: polls/s, achieved vs scheduled polls, poll lag, CPU per second of wall time, memory.")
        {
            format, adapters, interval, duration,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var benchmark = new GatewayBenchmark(result.GetValue(adapters), TimeSpan.FromSeconds(result.GetValue(interval)), TimeSpan.FromSeconds(result.GetValue(duration)));
            var report = await benchmark.RunAsync(cancellationToken);
            if (result.GetValue(format) == OutputFormat.Json)
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(report, CliJsonContext.Default.BenchmarkReport));
                return 0;
            }

            await Console.Out.WriteLineAsync($"benchmark {report.Name}");
            foreach (var (section, values) in new[] { ("metrics", report.Metrics), ("baseline", report.Baseline), ("ratios", report.Ratios) })
            {
                foreach (var (key, value) in values)
                {
                    await Console.Out.WriteLineAsync($"  {section,-9} {key,-40} {value.ToString("G6", CultureInfo.InvariantCulture)}");
                }
            }

            foreach (var (key, value) in report.Parameters)
            {
                await Console.Out.WriteLineAsync($"  {"params",-9} {key,-40} {value}");
            }

            return 0;
        });
        return command;
    }

    public static Command CreateFixture()
    {
        var adapters = new Option<int>("--adapters") { Required = true };
        var command = new Command("gateway-fixture", "The adapters, API server and Kafka of `bench gateway`, in their own process (internal).") { adapters };
        command.Hidden = true;
        command.SetAction((result, cancellationToken) => GatewayBenchFixture.RunAsync(result.GetValue(adapters), cancellationToken));
        return command;
    }
}
