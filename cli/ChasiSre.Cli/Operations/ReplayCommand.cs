using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ChasiSre.Cli.Commands;
using ChasiSre.Cli.Diagnosis;
using ChasiSre.Cli.Scenarios;
using ChasiSre.Diagnosis.Evidence;
using ChasiSre.Schemas.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Cli.Operations;

/// <summary>
/// <c>chasi replay --from T --to T</c>: the raw data ClickHouse holds for a window (objects, events, log lines), rebuilt
/// as the records ingest published and replayed through the real Streamiz detection topology on the embedded Kafka (one
/// step per second), each incident diagnosed unless <c>--detectors-only</c>; results go into <c>replays</c>,
/// <c>replay_incidents</c> and <c>replay_diagnoses</c> (migration 0003), never the production tables, and are compared
/// with the incidents production opened in the window.
/// </summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var from = new Option<string?>("--from") { Description = "Start of the window (RFC 3339, or a duration before now: 30m, 2h, 7d). Required." };
        var to = new Option<string?>("--to") { Description = "End of the window, exclusive (RFC 3339, or a duration before now). Required." };
        var store = IncidentsCommand.StoreOption();
        var detectorsOnly = new Option<bool>("--detectors-only") { Description = "Detection only: no diagnosis (no knowledge base, no LLM)." };
        var label = new Option<string?>("--label") { Description = "A name for this replay in the result tables (the detector or model version under test)." };
        var maxRecords = new Option<long>("--max-records") { Description = "Refuse a window holding more stored rows than this (a replay holds them in memory).", DefaultValueFactory = _ => 2_000_000 };
        var format = OutputFormatOption.Create();
        var runbooks = ScenarioCommand.RunbooksOption();
        var verbose = new Option<bool>("--verbose") { Description = "Pipeline logs on stderr." };
        var command = new Command("replay", "Replay the objects, events and logs stored in ClickHouse for a window through the detection topology and the diagnosis (rule-based unless Diagnosis__Llm__* configures an LLM), into the replay tables (replays, replay_incidents, replay_diagnoses), and compare with the incidents production opened in the window. Exit 0 replayed, 1 nothing stored, 2 invalid input.")
        {
            from, to, store, detectorsOnly, label, maxRecords, format, runbooks, verbose,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var now = TimeProvider.System.GetUtcNow();
            var errors = new List<string>();
            var fromValue = Time(errors, "--from", result.GetValue(from), now);
            var toValue = Time(errors, "--to", result.GetValue(to), now);
            if (errors.Count == 0 && fromValue >= toValue)
            {
                errors.Add($"--from {fromValue:O} is not before --to {toValue:O}");
            }

            var labelValue = result.GetValue(label) ?? "";
            if (labelValue.Length > 0 && !OperationsInput.IsLabel(labelValue))
            {
                errors.Add($"--label '{labelValue}' is not a label (1-100 letters, digits, '-', '_', '.', ':', '/', '+')");
            }

            if (result.GetValue(maxRecords) < 1)
            {
                errors.Add("--max-records must be positive");
            }

            if (errors.Count > 0)
            {
                return await FailAsync(errors);
            }

            using var loggerFactory = result.GetValue(verbose)
                ? LoggerFactory.Create(b => b.AddConsole(o => o.LogToStandardErrorThreshold = Microsoft.Extensions.Logging.LogLevel.Trace).SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Information))
                : NullLoggerFactory.Instance;
            await using var operations = IncidentsCommand.OpenOrNull(result.GetValue(store), out var openError);
            if (operations is null)
            {
                return await FailAsync([openError!]);
            }

            var read = StoredRecordReader.Tables.Append("incidents").ToList();
            var missing = read.Except(await operations.ExistingTablesAsync(read, cancellationToken)).ToList();
            if (missing.Count > 0)
            {
                await Console.Error.WriteLineAsync($"no {string.Join(", ", missing)} table in {operations.Description}: nothing stored there yet (chasi scenario run --store, or the sink of chasi run)");
                return 1;
            }

            var reader = new StoredRecordReader(operations.Store, operations.Database);
            var rows = await reader.CountAsync(fromValue, toValue, cancellationToken);
            if (rows > result.GetValue(maxRecords))
            {
                return await FailAsync([$"the window holds {rows} stored rows, more than --max-records {result.GetValue(maxRecords)}: replay a shorter window, or raise the limit"]);
            }

            var report = await RunAsync(
                operations,
                new ReplayRequest(fromValue, toValue, labelValue, result.GetValue(detectorsOnly), result.GetValue(runbooks)!),
                loggerFactory,
                cancellationToken);
            if (result.GetValue(format) == OutputFormat.Json)
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(report, OperationsJsonContext.Default.ReplayReport));
            }
            else
            {
                await PrintAsync(report, operations.Database);
            }

            return 0;
        });
        return command;
    }

    /// <summary>Replays the window, diagnoses (unless detectors-only), compares with production and writes the replay tables.</summary>
    internal static async Task<ReplayReport> RunAsync(OperationsStore operations, ReplayRequest request, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger(typeof(ReplayCommand).FullName!);
        var replayedAt = TimeProvider.System.GetUtcNow();
        var replayId = ReplayWriter.NewId(replayedAt);

        // The replay tables come with migration 0003; a store written before it gets them now (the production tables are
        // not altered: their migrations are applied already and a second run applies nothing).
        await operations.Migrator.MigrateAsync(cancellationToken);
        var window = await new StoredRecordReader(operations.Store, operations.Database).ReadAsync(request.From, request.To, cancellationToken);
        Log.ReplayRead(logger, replayId, window.InitialObjects + window.Objects, window.InitialObjects, window.Events, window.Logs, request.From, request.To, window.Batches.Count);

        // A window without stored records has nothing to detect on (and a topology that never saw a record has nothing to flush).
        IReadOnlyList<Incident> incidents = [];
        if (window.Batches.Count > 0)
        {
            using var runner = new ScenarioRunner(loggerFactory);
            incidents = await runner.RunAsync(window.Batches, request.From, cancellationToken);
        }

        var production = await new IncidentReader(operations.Store, operations.Database).OpenedBetweenAsync(request.From, request.To, cancellationToken);
        Log.ReplayDetected(logger, replayId, incidents.Count, production.Count);
        var comparison = ReplayComparison.Of(incidents, production);

        var diagnoses = new Dictionary<string, ReplayDiagnosis>(StringComparer.Ordinal);
        var stored = new List<Schemas.V1.Diagnosis>();
        string? provider = null;
        if (!request.DetectorsOnly && incidents.Count > 0)
        {
            await using var session = await DiagnosisSession.OpenAsync(request.Runbooks, loggerFactory, cancellationToken);
            provider = session.Provider;
            var evidence = EvidenceInputs.FromRecords(window.Records);
            foreach (var incident in incidents)
            {
                var outcome = await session.Engine.DiagnoseAsync(incident, evidence, cancellationToken);
                var d = outcome.Diagnosis;
                stored.Add(d);
                diagnoses[incident.Id] = new ReplayDiagnosis(
                    d.Engine, d.RootCause, d.Confidence, outcome.LlmCalls, [.. d.Remediations.Select(r => r.Title)], [.. d.Citations.Select(c => $"kb:{c.ChunkId}")]);
            }
        }

        var outputs = incidents
            .OrderBy(i => i.OpenedAt?.ToDateTimeOffset())
            .ThenBy(i => i.Id, StringComparer.Ordinal)
            .Select(i => new ReplayIncident(
                i.Id,
                i.Category,
                IncidentReader.Layer(i.Layer),
                i.Severity == Severity.Unspecified ? "" : i.Severity.ToString().ToLowerInvariant(),
                i.State == IncidentState.Unspecified ? "" : i.State.ToString().ToLowerInvariant(),
                IncidentReader.View(i.Subject ?? new ObjectRef())!,
                i.Summary,
                i.OpenedAt?.ToDateTimeOffset(),
                i.Revision,
                comparison.Matches.GetValueOrDefault(i.Id),
                diagnoses.GetValueOrDefault(i.Id)))
            .ToList();
        var byCategory = new SortedDictionary<string, int>(
            incidents.GroupBy(i => i.Category).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal), StringComparer.Ordinal);
        var report = new ReplayReport(
            replayId,
            request.Label,
            request.From,
            request.To,
            replayedAt,
            request.DetectorsOnly,
            provider,
            new ReplayInput(window.InitialObjects, window.Objects, window.Events, window.Logs, window.Batches.Count),
            outputs,
            byCategory,
            comparison);
        await new ReplayWriter(operations.Store, operations.Database).WriteAsync(report, incidents, stored, VersionCommand.Current().Version, cancellationToken);
        Log.ReplayWritten(logger, replayId, incidents.Count, stored.Count, operations.Database);
        return report;
    }

    private static DateTimeOffset Time(List<string> errors, string option, string? text, DateTimeOffset now)
    {
        if (text is null)
        {
            errors.Add($"{option} is required");
            return default;
        }

        if (OperationsInput.TryParseTime(text, now, out var at))
        {
            return at;
        }

        errors.Add($"{option} '{text}' is neither an RFC 3339 time nor a duration like 30m, 2h, 7d");
        return default;
    }

    private static async Task<int> FailAsync(IEnumerable<string> errors)
    {
        foreach (var error in errors)
        {
            await Console.Error.WriteLineAsync($"chasi replay: {error}");
        }

        return 2;
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static async Task PrintAsync(ReplayReport report, string database)
    {
        var input = report.Input;
        var label = report.Label.Length > 0 ? $" ({report.Label})" : "";
        await Console.Out.WriteLineAsync(
            $"replay {report.ReplayId}{label} of {Time(report.From)} .. {Time(report.To)}: {input.InitialObjects} objects at the start, " +
            $"{input.Objects} object versions, {input.Events} events and {input.Logs} log lines in the window, {input.Batches} steps");
        await Console.Out.WriteLineAsync(report.ByCategory.Count == 0
            ? "no incidents"
            : $"{report.Incidents.Count} incident(s): {string.Join(", ", report.ByCategory.Select(c => $"{c.Key} {c.Value}"))}");
        foreach (var incident in report.Incidents)
        {
            var match = incident.ProductionIncidentId is { } production ? $"matched {production}" : "only in replay";
            await Console.Out.WriteLineAsync($"  {incident.Severity,-8} {incident.Category,-20} {incident.Layer,-8} {IncidentsCommand.Subject(incident.Subject)}  {incident.Id}, {match}");
            if (incident.Diagnosis is { } diagnosis)
            {
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"           root cause ({diagnosis.Engine}, {diagnosis.Confidence:0.00}): {diagnosis.RootCause}"));
            }
        }

        foreach (var incident in report.Comparison.ProductionOnlyIncidents)
        {
            await Console.Out.WriteLineAsync($"  {incident.Severity,-8} {incident.Category,-20} {incident.Layer,-8} {IncidentsCommand.Subject(incident.Subject)}  {incident.Id}, only in production");
        }

        var comparison = report.Comparison;
        await Console.Out.WriteLineAsync(
            $"compared with production by subject and category: {comparison.Matched} matched, {comparison.OnlyInReplay} only in replay, {comparison.OnlyInProduction} only in production");
        await Console.Out.WriteLineAsync($"stored in {database}.replay_incidents{(report.DetectorsOnly ? "" : $" and {database}.replay_diagnoses")} with replay_id '{report.ReplayId}'");
    }
}
