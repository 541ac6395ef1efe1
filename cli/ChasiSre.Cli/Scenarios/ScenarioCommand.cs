using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ChasiSre.Cli.Diagnosis;
using ChasiSre.Diagnosis.Engine;
using ChasiSre.Diagnosis.Evidence;
using ChasiSre.Ingest.Scenarios;
using ChasiSre.Platform.ClickHouse;
using ChasiSre.Schemas.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Cli.Scenarios;

/// <summary><c>chasi scenario run &lt;dir...&gt;</c>: replay scenarios through the pipeline and judge them.</summary>
internal static class ScenarioCommand
{
    private const string ScenarioFile = "scenario.yaml";

    public static Command Create()
    {
        var command = new Command("scenario", "Scenarios (chasi.io/scenario/v1): timelines of cluster state with the incidents a good SRE would find.");
        command.Subcommands.Add(Run());
        return command;
    }

    private static Command Run()
    {
        var paths = new Argument<string[]>("dir") { Description = "Scenario directories, or directories holding scenario directories (searched recursively).", Arity = ArgumentArity.OneOrMore };
        var format = OutputFormatOption.Create();
        var verbose = new Option<bool>("--verbose") { Description = "Pipeline logs on stderr." };
        var parallel = new Option<int>("--parallel") { Description = "Scenarios replayed at once (each has its own topics and topology).", DefaultValueFactory = _ => 4 };
        var runbooks = RunbooksOption();
        var store = new Option<string?>("--store") { Description = "Also write what the run produced (objects, events, logs, signals, incidents, diagnoses) into an embedded ClickHouse (chDB) data directory, through the production sink; chasi diagnose reads it." };
        var command = new Command("run", "Replay scenarios through the pipeline (embedded Kafka, the Streamiz detection topology, the diagnosis engine) and judge each against its expect block. The LLM is configured by environment (Diagnosis__Llm__Provider, ...); without one the diagnosis is rule-based. Exit 0 when it ran, whatever the expectations; 2 on invalid input.")
        {
            paths, format, verbose, parallel, runbooks, store,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var directories = new List<string>();
            foreach (var path in result.GetValue(paths)!)
            {
                if (!Directory.Exists(path))
                {
                    await Console.Error.WriteLineAsync($"{path}: no such directory");
                    return 2;
                }

                directories.AddRange(Find(Path.GetFullPath(path)));
            }

            if (directories.Count == 0)
            {
                await Console.Error.WriteLineAsync($"no {ScenarioFile} under {string.Join(", ", result.GetValue(paths)!)}");
                return 2;
            }

            var scenarios = new List<Scenario>();
            var invalid = false;
            foreach (var directory in directories)
            {
                try
                {
                    scenarios.Add(ScenarioLoader.Load(directory));
                }
                catch (ScenarioValidationException ex)
                {
                    invalid = true;
                    foreach (var error in ex.Errors.DefaultIfEmpty(new ScenarioError(Path.Combine(directory, ScenarioFile), 0, 0, ex.Message)))
                    {
                        await Console.Error.WriteLineAsync(error.ToString());
                    }
                }
            }

            if (invalid)
            {
                return 2;
            }

            using var loggerFactory = result.GetValue(verbose)
                ? LoggerFactory.Create(b => b.AddConsole(o => o.LogToStandardErrorThreshold = Microsoft.Extensions.Logging.LogLevel.Trace).SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Information))
                : NullLoggerFactory.Instance;
            var results = await RunAsync(scenarios, result.GetValue(runbooks)!, result.GetValue(parallel), loggerFactory, cancellationToken);
            if (result.GetValue(store) is { } storePath)
            {
                var written = await ScenarioStore.WriteAsync(results, new ClickHouseOptions { EmbeddedDataPath = Path.GetFullPath(storePath) }, loggerFactory, cancellationToken);
                await Console.Error.WriteLineAsync($"stored {written} records in {Path.GetFullPath(storePath)} (database chasi)");
            }

            var outputs = results.Select(r => r.Output).ToList();
            if (result.GetValue(format) == OutputFormat.Table)
            {
                foreach (var output in outputs)
                {
                    await PrintAsync(output);
                }
            }

            var judged = outputs.Where(o => o.Expectations is not null).ToList();
            var run = new ScenarioRunOutput(outputs, new ScenarioRunSummary(outputs.Count, judged.Count(o => o.Expectations!.Failed == 0), judged.Count(o => o.Expectations!.Failed > 0)));
            if (result.GetValue(format) == OutputFormat.Json)
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(run, ScenarioJsonContext.Default.ScenarioRunOutput));
            }
            else
            {
                await Console.Out.WriteLineAsync($"{run.Summary.Scenarios} scenarios: {run.Summary.Passed} passed, {run.Summary.Failed} failed");
            }

            return 0;
        });
        return command;
    }

    /// <summary>Scenario directories under <paramref name="root"/>: itself when it holds a scenario, else every such directory below it, ordered.</summary>
    internal static IEnumerable<string> Find(string root)
    {
        if (File.Exists(Path.Combine(root, ScenarioFile)))
        {
            return [root];
        }

        return Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal).SelectMany(Find);
    }

    internal static Option<string> RunbooksOption() =>
        new("--runbooks") { Description = "Runbooks the diagnosis retrieves from (indexed in memory at start).", DefaultValueFactory = _ => DiagnosisSession.DefaultRunbooks };

    /// <summary>Replays every scenario (at most <paramref name="parallel"/> at once), then diagnoses each incident;
    /// <paramref name="progress"/> hears of each scenario replayed and each one diagnosed.</summary>
    internal static async Task<IReadOnlyList<ScenarioResult>> RunAsync(IReadOnlyList<Scenario> scenarios, string runbooks, int parallel, ILoggerFactory loggerFactory, CancellationToken cancellationToken, IScenarioProgress? progress = null)
    {
        // The knowledge base (MiniLM + runbooks) loads while the first scenarios replay.
        var session = DiagnosisSession.OpenAsync(runbooks, loggerFactory, cancellationToken);
        var replays = new (IReadOnlyList<Incident> Incidents, IReadOnlyList<DetectionInput> Records)[scenarios.Count];
        try
        {
            using var runner = new ScenarioRunner(loggerFactory);
            await Parallel.ForEachAsync(
                Enumerable.Range(0, scenarios.Count),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallel), CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    replays[i] = await runner.RunAsync(scenarios[i], ct);
                    progress?.Replayed(scenarios[i], replays[i].Incidents);
                });
        }
        catch
        {
            // The replay's failure is the one to report; a session that did open still has to be closed.
            await Task.WhenAny(session);
            if (session.IsCompletedSuccessfully)
            {
                await (await session).DisposeAsync();
            }

            throw;
        }

        progress?.Diagnosing();
        await using var diagnosis = await session;
        var results = new List<ScenarioResult>(scenarios.Count);
        for (var i = 0; i < scenarios.Count; i++)
        {
            var (incidents, records) = replays[i];
            var evidence = EvidenceInputs.FromRecords(records);
            var outcomes = new Dictionary<string, DiagnosisOutcome>(StringComparer.Ordinal);
            foreach (var incident in incidents)
            {
                outcomes[incident.Id] = await diagnosis.Engine.DiagnoseAsync(incident, evidence, cancellationToken);
            }

            results.Add(new ScenarioResult(scenarios[i], incidents, records, evidence, outcomes, Output(scenarios[i], incidents, outcomes, diagnosis.Provider)));
            progress?.Diagnosed(results[^1]);
        }

        return results;
    }

    internal static ScenarioOutput Output(Scenario scenario, IReadOnlyList<Incident> incidents, IReadOnlyDictionary<string, DiagnosisOutcome> outcomes, string provider)
    {
        // The evidence pack is the text the diagnosis gives the LLM: expected evidence is searched there.
        string Text(Incident incident) => outcomes[incident.Id].Pack.Text;
        var outputs = incidents.Select(i => Output(i, outcomes[i.Id], provider)).ToList();
        if (scenario.Expect is not { } expect)
        {
            return new ScenarioOutput(scenario.Name, outputs, null);
        }

        var passed = expect.Incidents.Count(e => incidents.Any(i => ScenarioJudge.Matches(e, i, Text)))
            + expect.Absent.Count(a => !incidents.Any(i => ScenarioJudge.Is(i.Subject, a)))
            + (expect.MaxIncidents is { } max && incidents.Count <= max ? 1 : 0);
        var total = expect.Incidents.Count + expect.Absent.Count + (expect.MaxIncidents is null ? 0 : 1);
        return new ScenarioOutput(scenario.Name, outputs, new ExpectationsOutput(passed, total - passed, ScenarioJudge.Judge(expect, incidents, Text)));
    }

    internal static IncidentOutput Output(Incident incident, DiagnosisOutcome outcome, string provider) => new(
        incident.Id,
        incident.Category,
        ScenarioJudge.LayerOf(incident)?.ToString().ToLowerInvariant() ?? "unspecified",
        incident.Severity switch
        {
            Severity.Critical => "critical",
            Severity.Error => "high",
            Severity.Warning => "medium",
            Severity.Info => "low",
            _ => "unspecified",
        },
        Output(incident.Subject),
        [.. incident.Affected.Where(a => !Same(a, incident.Subject)).Select(Output)],
        incident.Summary,
        outcome.Pack.Text,
        outcome.Pack.Tokens,
        Output(outcome, provider));

    private static DiagnosisOutput Output(DiagnosisOutcome outcome, string provider)
    {
        var d = outcome.Diagnosis;
        return new DiagnosisOutput(
            d.Engine == DiagnosisEngine.RulesEngine ? "deterministic" : provider.ToLowerInvariant(),
            d.RootCause,
            d.Confidence,
            [.. d.Remediations.Select(r => r.Action.Length == 0 ? r.Title : $"{r.Title} (risk {r.Risk.ToString().ToLowerInvariant()}): {r.Description}")],
            [.. d.Citations.Select(c => $"kb:{c.ChunkId}")])
        {
            Model = d.Engine,
            Layer = d.Layer.ToString().ToLowerInvariant(),
            Evidence = [.. d.Explanation.Split('\n', StringSplitOptions.RemoveEmptyEntries)],
            LlmCalls = outcome.LlmCalls,
        };
    }

    private static ObjectOutput Output(ObjectRef reference) =>
        new(reference.Cluster, reference.Kind, reference.Namespace.Length == 0 ? null : reference.Namespace, reference.Name);

    private static bool Same(ObjectRef a, ObjectRef b) => a.Cluster == b.Cluster && a.Kind == b.Kind && a.Namespace == b.Namespace && a.Name == b.Name;

    private static async Task PrintAsync(ScenarioOutput scenario)
    {
        var verdict = scenario.Expectations is null ? "ran" : scenario.Expectations.Failed == 0 ? "PASS" : "FAIL";
        await Console.Out.WriteLineAsync($"{verdict,-4} {scenario.Name}: {scenario.Incidents.Count} incident(s)");
        foreach (var incident in scenario.Incidents)
        {
            var subject = incident.Subject;
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"     {incident.Category} {incident.Layer} {incident.Severity} {subject.Cluster}/{subject.Kind}/{(subject.Namespace is null ? "" : subject.Namespace + "/")}{subject.Name}: {incident.Summary}"));
        }

        foreach (var failure in scenario.Expectations?.Failures ?? [])
        {
            await Console.Out.WriteLineAsync($"     ✗ {failure}");
        }
    }
}
