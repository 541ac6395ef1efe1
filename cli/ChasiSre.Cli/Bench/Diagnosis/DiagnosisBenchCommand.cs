using System.CommandLine;
using ChasiSre.Cli.Commands;
using ChasiSre.Cli.Scenarios;
using ChasiSre.Ingest.Scenarios;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Cli.Bench.Diagnosis;

/// <summary><c>chasi bench diagnosis</c>: the scenario corpus through detection and diagnosis, scored on evidence and LLM calls.</summary>
internal static class DiagnosisBenchCommand
{
    public static Command Create()
    {
        var format = OutputFormatOption.Create();
        var paths = new Argument<string[]>("dir")
        {
            Description = "Scenario directories (searched recursively); default tests/scenarios of the repository, which holds tests/scenarios/holmesgpt.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var parallel = new Option<int>("--parallel") { Description = "Scenarios replayed at once.", DefaultValueFactory = _ => 4 };
        var runbooks = ScenarioCommand.RunbooksOption();
        var command = new Command("diagnosis", "Replays the scenario corpus and diagnoses every incident: evidence recall (expected evidence strings in the pack), evidence tokens, LLM calls per incident vs k8sgpt's one call per failing object on the same scenarios.")
        {
            paths, format, parallel, runbooks,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var roots = result.GetValue(paths) is { Length: > 0 } given ? given : [Rag.RagBenchCommand.Locate(Path.Combine("tests", "scenarios"))];
            var scenarios = roots.SelectMany(r => ScenarioCommand.Find(Path.GetFullPath(r))).Select(ScenarioLoader.Load).ToList();
            if (scenarios.Count == 0)
            {
                await Console.Error.WriteLineAsync($"no scenarios under {string.Join(", ", roots)}");
                return 2;
            }

            var results = await ScenarioCommand.RunAsync(scenarios, result.GetValue(runbooks)!, result.GetValue(parallel), NullLoggerFactory.Instance, cancellationToken);
            var report = DiagnosisBenchmark.Score(results);
            BenchCommand.Print(report with { Parameters = new Dictionary<string, string>(report.Parameters) { ["scenario_roots"] = string.Join(",", roots.Select(Path.GetFullPath)) } }, result.GetValue(format));
            return 0;
        });
        return command;
    }
}
