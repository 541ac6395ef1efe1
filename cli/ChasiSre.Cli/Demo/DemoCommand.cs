using System.CommandLine;
using System.Text.Json;
using ChasiSre.Cli.Scenarios;
using ChasiSre.Diagnosis.Engine;
using ChasiSre.Ingest.Scenarios;
using ChasiSre.Platform.ClickHouse;
using ChasiSre.Schemas.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace ChasiSre.Cli.Demo;

/// <summary>
/// <c>chasi demo</c>: the whole pipeline on embedded parts, on a fresh machine. The scenario corpus goes through the
/// embedded Kafka, the Streamiz detection topology, the diagnosis (knowledge base with the starter runbooks; rules, or a
/// configured LLM) and the ClickHouse sink into chDB, with a live view of what it finds.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var scenarios = new Option<string[]>("--scenario") { Description = "Scenario directories (default: the public corpus, tests/scenarios).", Arity = ArgumentArity.ZeroOrMore };
        var format = OutputFormatOption.Create();
        var dataDir = new Option<string>("--data-dir") { Description = "Where the run is stored (chDB): chasi incidents, chasi diagnose and Grafana read it.", DefaultValueFactory = _ => Path.Combine(".chasi", "demo") };
        var noStore = new Option<bool>("--no-store") { Description = "Skip writing the run into ClickHouse." };
        var parallel = new Option<int>("--parallel") { Description = "Scenarios replayed at once.", DefaultValueFactory = _ => 4 };
        var runbooks = ScenarioCommand.RunbooksOption();
        var command = new Command("demo", "The pipeline end to end on embedded parts: replays the scenario corpus through Kafka, the detection topology, the diagnosis and ClickHouse, and shows the incidents by tenant and layer with their diagnoses and citations. --format json prints what `chasi scenario run --format json` prints. Exit 0 when every expectation held, 1 when one failed, 2 on invalid input.")
        {
            scenarios, format, dataDir, noStore, parallel, runbooks,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var roots = result.GetValue(scenarios) is { Length: > 0 } given ? given : [ScenarioCorpus()];
            var loaded = new List<Scenario>();
            foreach (var root in roots)
            {
                if (!Directory.Exists(root))
                {
                    await Console.Error.WriteLineAsync($"{root}: no such directory");
                    return 2;
                }

                try
                {
                    loaded.AddRange(ScenarioCommand.Find(Path.GetFullPath(root)).Select(ScenarioLoader.Load));
                }
                catch (ScenarioValidationException ex)
                {
                    await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, ex.Errors.Select(e => e.ToString()).DefaultIfEmpty(ex.Message)));
                    return 2;
                }
            }

            if (loaded.Count == 0)
            {
                await Console.Error.WriteLineAsync($"no scenario under {string.Join(", ", roots)}");
                return 2;
            }

            var json = result.GetValue(format) == OutputFormat.Json;
            var store = result.GetValue(noStore) ? null : Path.GetFullPath(result.GetValue(dataDir)!);
            var started = TimeProvider.System.GetTimestamp();
            IReadOnlyList<ScenarioResult> results;
            long stored = 0;
            if (json || !AnsiConsole.Profile.Capabilities.Interactive)
            {
                results = await ScenarioCommand.RunAsync(loaded, result.GetValue(runbooks)!, result.GetValue(parallel), NullLoggerFactory.Instance, cancellationToken);
                if (store is not null)
                {
                    stored = await ScenarioStore.WriteAsync(results, new ClickHouseOptions { EmbeddedDataPath = store }, NullLoggerFactory.Instance, cancellationToken);
                }
            }
            else
            {
                (results, stored) = await RunLiveAsync(loaded, result.GetValue(runbooks)!, result.GetValue(parallel), store, cancellationToken);
            }

            var outputs = results.Select(r => r.Output).ToList();
            var judged = outputs.Where(o => o.Expectations is not null).ToList();
            var run = new ScenarioRunOutput(outputs, new ScenarioRunSummary(outputs.Count, judged.Count(o => o.Expectations!.Failed == 0), judged.Count(o => o.Expectations!.Failed > 0)));
            if (json)
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(run, ScenarioJsonContext.Default.ScenarioRunOutput));
            }
            else
            {
                Render(results, run.Summary, TimeProvider.System.GetElapsedTime(started), store, stored);
            }

            if (store is not null)
            {
                await Console.Error.WriteLineAsync($"stored {stored} records in {store}: ./chasi diagnose <incident id> --store {store}");
            }

            return run.Summary.Failed == 0 ? 0 : 1;
        });
        return command;
    }

    /// <summary>The public corpus: tests/scenarios of the checkout this binary was built from.</summary>
    private static string ScenarioCorpus() => Bench.Rag.RagBenchCommand.Locate(Path.Combine("tests", "scenarios"));

    private static async Task<(IReadOnlyList<ScenarioResult> Results, long Stored)> RunLiveAsync(List<Scenario> scenarios, string runbooks, int parallel, string? store, CancellationToken cancellationToken)
    {
        IReadOnlyList<ScenarioResult> results = [];
        long stored = 0;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var replay = context.AddTask("[bold]detection[/]: Kafka → Streamiz topology", maxValue: scenarios.Count);
                var diagnose = context.AddTask("[bold]diagnosis[/]: evidence pack, knowledge base, LLM or rules", autoStart: false, maxValue: scenarios.Count);
                var sink = store is null ? null : context.AddTask("[bold]ClickHouse[/]: the production sink into chDB", autoStart: false, maxValue: 1);
                var progress = new LiveProgress(replay, diagnose);
                results = await ScenarioCommand.RunAsync(scenarios, runbooks, parallel, NullLoggerFactory.Instance, cancellationToken, progress);
                if (sink is not null)
                {
                    sink.StartTask();
                    stored = await ScenarioStore.WriteAsync(results, new ClickHouseOptions { EmbeddedDataPath = store! }, NullLoggerFactory.Instance, cancellationToken);
                    sink.Increment(1);
                }
            });
        return (results, stored);
    }

    private static void Render(IReadOnlyList<ScenarioResult> results, ScenarioRunSummary summary, TimeSpan took, string? store, long stored)
    {
        var rows = results
            .SelectMany(r => r.Incidents.Select(i => (Scenario: r, Incident: i, Outcome: r.Diagnoses[i.Id])))
            .OrderBy(x => x.Incident.Tenant.Length == 0 ? "~platform" : x.Incident.Tenant, StringComparer.Ordinal)
            .ThenBy(x => x.Incident.Layer)
            .ThenBy(x => x.Incident.Category, StringComparer.Ordinal)
            .ToList();
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{rows.Count} incidents[/] in {results.Count} scenarios");
        table.AddColumns("tenant", "layer", "incident", "diagnosis", "cites");
        foreach (var group in rows.GroupBy(x => (Tenant: x.Incident.Tenant.Length == 0 ? "(platform)" : x.Incident.Tenant, x.Incident.Layer)))
        {
            var first = true;
            foreach (var (_, incident, outcome) in group)
            {
                var subject = incident.Subject;
                var d = outcome.Diagnosis;
                table.AddRow(
                    first ? Markup.Escape(group.Key.Tenant) : "",
                    first ? group.Key.Layer.ToString().ToLowerInvariant() : "",
                    $"[bold]{Markup.Escape(incident.Category)}[/] {Severity(incident.Severity)}\n{Markup.Escape($"{subject.Cluster}/{subject.Kind}/{(subject.Namespace.Length == 0 ? "" : subject.Namespace + "/")}{subject.Name}")}",
                    $"{Markup.Escape(d.RootCause)}\n[dim]{(d.Engine == DiagnosisEngine.RulesEngine ? "rules" : Markup.Escape(d.Engine))} · confidence {d.Confidence:0.00}{(d.Remediations.Count > 0 ? " · " + Markup.Escape(d.Remediations[0].Title) : "")}[/]",
                    Markup.Escape(string.Join("\n", d.Citations.Take(2).Select(c => c.ChunkId))));
                first = false;
            }
        }

        AnsiConsole.Write(table);
        var failed = results.Where(r => r.Output.Expectations is { Failed: > 0 }).ToList();
        foreach (var f in failed)
        {
            AnsiConsole.MarkupLine($"[red]✗[/] {Markup.Escape(f.Scenario.Name)}: {Markup.Escape(string.Join("; ", f.Output.Expectations!.Failures))}");
        }

        AnsiConsole.MarkupLine($"{(summary.Failed == 0 ? "[green]" : "[red]")}{summary.Scenarios} scenarios: {summary.Passed} passed, {summary.Failed} failed[/] in {took.TotalSeconds:0} s"
            + (store is null ? "" : $"; {stored} records in ClickHouse at {Markup.Escape(store)}"));
    }

    private static string Severity(Severity severity) => severity switch
    {
        ChasiSre.Schemas.V1.Severity.Critical => "[red]critical[/]",
        ChasiSre.Schemas.V1.Severity.Error => "[darkorange]high[/]",
        ChasiSre.Schemas.V1.Severity.Warning => "[yellow]medium[/]",
        _ => "[dim]low[/]",
    };

    private sealed class LiveProgress(ProgressTask replay, ProgressTask diagnose) : IScenarioProgress
    {
        public void Replayed(Scenario scenario, IReadOnlyList<Incident> incidents) => replay.Increment(1);

        public void Diagnosing() => diagnose.StartTask();

        public void Diagnosed(ScenarioResult result) => diagnose.Increment(1);
    }
}
