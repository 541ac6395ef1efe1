using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ChasiSre.Api;
using ChasiSre.Ingest.Scenarios;
using ChasiSre.Platform.ClickHouse;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Cli.Operations;

/// <summary><c>chasi incidents list|show</c>: the incidents the pipeline stored in ClickHouse, and their latest diagnoses.</summary>
internal static class IncidentsCommand
{
    private static readonly string[] Layers = ["host", "virtual", "business"];
    private static readonly string[] States = ["open", "resolved"];

    public static Command Create()
    {
        var command = new Command("incidents", "The incidents stored in ClickHouse (by the sink of chasi run, or chasi scenario run --store).");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        return command;
    }

    /// <summary>The shared <c>--store</c> option.</summary>
    internal static Option<string?> StoreOption() => new("--store")
    {
        Description = "An embedded ClickHouse (chDB) data directory, e.g. the one `chasi scenario run --store` wrote; without it the ClickHouse__* environment (Backend, EmbeddedDataPath, ServerConnectionString, Database) decides.",
    };

    private static Option<string?> ReplayOption() => new("--replay")
    {
        Description = "Read what the chasi replay with this replay id produced (replay_incidents, replay_diagnoses) instead of the production tables.",
    };

    private static Command List()
    {
        var store = StoreOption();
        var replay = ReplayOption();
        var tenant = new Option<string?>("--tenant") { Description = "Only incidents of this tenant (its own, or platform incidents that affect it)." };
        var cluster = new Option<string?>("--cluster") { Description = "Only incidents whose subject is in this cluster (a vCluster, or the host cluster it runs on)." };
        var layer = new Option<string?>("--layer") { Description = "Only incidents whose cause lives in this layer: host, virtual or business." };
        var category = new Option<string?>("--category") { Description = $"Only incidents of this category ({string.Join(", ", IncidentCategories.All)})." };
        var state = new Option<string?>("--state") { Description = "open or resolved." };
        var since = new Option<string?>("--since") { Description = "Only incidents opened at or after this time: RFC 3339 (2026-03-01T10:00:00Z) or a duration before now (30m, 2h, 7d)." };
        var limit = new Option<int>("--limit") { Description = "At most this many incidents, newest opened first (1-10000).", DefaultValueFactory = _ => 50 };
        var format = OutputFormatOption.Create();
        var command = new Command("list", "List stored incidents, newest opened first, at their latest revision. Exit 0 listed (even none), 1 nothing stored, 2 invalid input.")
        {
            store, replay, tenant, cluster, layer, category, state, since, limit, format,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var errors = new List<string>();
            var tenantValue = result.GetValue(tenant);
            if (tenantValue is not null && !TenantScope.IsValidTenant(tenantValue))
            {
                errors.Add($"--tenant '{tenantValue}' is not a tenant name (a DNS label)");
            }

            var clusterValue = result.GetValue(cluster);
            if (clusterValue is not null && !OperationsInput.IsClusterName(clusterValue))
            {
                errors.Add($"--cluster '{clusterValue}' is not a cluster name");
            }

            var layerValue = OneOf(errors, "--layer", result.GetValue(layer), Layers);
            var stateValue = OneOf(errors, "--state", result.GetValue(state), States);
            var categoryValue = result.GetValue(category);
            if (categoryValue is not null && !IncidentCategories.IsKnown(categoryValue))
            {
                errors.Add($"--category '{categoryValue}' is not one of {string.Join(", ", IncidentCategories.All)}");
            }

            DateTimeOffset? sinceValue = null;
            if (result.GetValue(since) is { } sinceText)
            {
                if (OperationsInput.TryParseTime(sinceText, TimeProvider.System.GetUtcNow(), out var at))
                {
                    sinceValue = at;
                }
                else
                {
                    errors.Add($"--since '{sinceText}' is neither an RFC 3339 time nor a duration like 30m, 2h, 7d");
                }
            }

            var replayId = result.GetValue(replay);
            if (replayId is not null && !OperationsInput.IsIncidentId(replayId))
            {
                errors.Add($"--replay '{replayId}' is not a replay id (rpl-...)");
            }

            var limitValue = result.GetValue(limit);
            if (limitValue is < 1 or > 10_000)
            {
                errors.Add($"--limit {limitValue} is not in 1-10000");
            }

            if (errors.Count > 0)
            {
                return await FailAsync("list", errors);
            }

            var query = new IncidentQuery(tenantValue, clusterValue, layerValue?.ToUpperInvariant(), categoryValue, stateValue?.ToUpperInvariant(), sinceValue, limitValue);
            await using var operations = OpenOrNull(result.GetValue(store), out var openError);
            if (operations is null)
            {
                return await FailAsync("list", [openError!]);
            }

            if (!await HasIncidentsAsync(operations, replayId, cancellationToken))
            {
                return 1;
            }

            var list = await new IncidentReader(operations.Store, operations.Database, replayId).ListAsync(query, cancellationToken);
            if (result.GetValue(format) == OutputFormat.Json)
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(list, OperationsJsonContext.Default.IncidentList));
                return 0;
            }

            await PrintAsync(list);
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<string>("incident-id") { Description = "The incident's id (inc-...)." };
        var store = StoreOption();
        var replay = ReplayOption();
        var format = OutputFormatOption.Create();
        var command = new Command("show", "Show one stored incident: subject, state, affected objects, its most recent signals and its latest diagnosis (root cause, remediations, runbook citations). Exit 0 shown, 1 no such incident, 2 invalid input.")
        {
            id, store, replay, format,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var incidentId = result.GetValue(id)!;
            if (!OperationsInput.IsIncidentId(incidentId))
            {
                return await FailAsync("show", [$"'{incidentId}' is not an incident id (letters, digits, '-', '_', '.', ':')"]);
            }

            var replayId = result.GetValue(replay);
            if (replayId is not null && !OperationsInput.IsIncidentId(replayId))
            {
                return await FailAsync("show", [$"--replay '{replayId}' is not a replay id (rpl-...)"]);
            }

            await using var operations = OpenOrNull(result.GetValue(store), out var openError);
            if (operations is null)
            {
                return await FailAsync("show", [openError!]);
            }

            if (!await HasIncidentsAsync(operations, replayId, cancellationToken))
            {
                return 1;
            }

            var detail = await new IncidentReader(operations.Store, operations.Database, replayId).GetAsync(incidentId, cancellationToken);
            if (detail is null)
            {
                await Console.Error.WriteLineAsync(replayId is null
                    ? $"no incident {incidentId} in {operations.Database}.incidents"
                    : $"no incident {incidentId} of replay {replayId} in {operations.Database}.replay_incidents");
                return 1;
            }

            if (result.GetValue(format) == OutputFormat.Json)
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(detail, OperationsJsonContext.Default.IncidentDetail));
                return 0;
            }

            await PrintAsync(detail);
            return 0;
        });
        return command;
    }

    /// <summary>Opens the store; null with the reason when its configuration is invalid.</summary>
    internal static OperationsStore? OpenOrNull(string? storePath, out string? error)
    {
        try
        {
            error = null;
            return OperationsStore.Open(storePath, NullLoggerFactory.Instance);
        }
        catch (OptionsValidationException e)
        {
            error = e.Message;
            return null;
        }
    }

    private static async Task<bool> HasIncidentsAsync(OperationsStore operations, string? replayId, CancellationToken cancellationToken)
    {
        string[] needed = replayId is null ? ["incidents", "diagnoses"] : ["replay_incidents", "replay_diagnoses"];
        var tables = await operations.ExistingTablesAsync(needed, cancellationToken);
        if (tables.Count == needed.Length)
        {
            return true;
        }

        await Console.Error.WriteLineAsync(replayId is null
            ? $"no incidents table in {operations.Description}: nothing stored there yet (chasi scenario run --store, or the sink of chasi run)"
            : $"no replay tables in {operations.Description}: no chasi replay ran there yet");
        return false;
    }

    private static string? OneOf(List<string> errors, string option, string? value, string[] allowed)
    {
        if (value is null)
        {
            return null;
        }

        var lower = value.ToLowerInvariant();
        if (allowed.Contains(lower, StringComparer.Ordinal))
        {
            return lower;
        }

        errors.Add($"{option} '{value}' is not one of {string.Join(", ", allowed)}");
        return null;
    }

    private static async Task<int> FailAsync(string command, IEnumerable<string> errors)
    {
        foreach (var error in errors)
        {
            await Console.Error.WriteLineAsync($"chasi incidents {command}: {error}");
        }

        return 2;
    }

    internal static string Subject(ObjectRefView subject) =>
        $"{subject.Cluster}/{subject.Kind}/{(subject.Namespace.Length == 0 ? "" : subject.Namespace + "/")}{subject.Name}";

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static async Task PrintAsync(IncidentList list)
    {
        if (list.Incidents.Count == 0)
        {
            await Console.Out.WriteLineAsync("no incidents");
            return;
        }

        await Console.Out.WriteLineAsync($"{"ID",-28} {"OPENED",-20} {"STATE",-8} {"SEVERITY",-8} {"LAYER",-8} {"CATEGORY",-20} {"TENANT",-12} SUBJECT");
        foreach (var incident in list.Incidents)
        {
            var tenant = incident.Tenant.Length > 0 ? incident.Tenant : incident.Tenants.Count > 0 ? $"({string.Join(',', incident.Tenants)})" : "-";
            await Console.Out.WriteLineAsync(
                $"{incident.Id,-28} {Time(incident.OpenedAt),-20} {incident.State,-8} {incident.Severity,-8} {incident.Layer,-8} {incident.Category,-20} {tenant,-12} {Subject(incident.Subject)}");
        }

        await Console.Out.WriteLineAsync(list.Truncated
            ? $"{list.Incidents.Count} incidents shown; more match (raise --limit or narrow the filters)"
            : $"{list.Incidents.Count} incident(s)");
    }

    private static async Task PrintAsync(IncidentDetail detail)
    {
        var incident = detail.Incident;
        await Console.Out.WriteLineAsync($"{incident.Id} rev {incident.Revision}: {incident.Category} ({incident.Layer}, {incident.Severity}, {incident.State})");
        await Console.Out.WriteLineAsync($"  title      {incident.Title}");
        await Console.Out.WriteLineAsync($"  summary    {incident.Summary}");
        await Console.Out.WriteLineAsync($"  subject    {Subject(incident.Subject)}");
        await Console.Out.WriteLineAsync($"  tenant     {(incident.Tenant.Length > 0 ? incident.Tenant : "-")}{(incident.Tenants.Count > 0 ? $" (affects {string.Join(", ", incident.Tenants)})" : "")}");
        await Console.Out.WriteLineAsync($"  opened     {Time(incident.OpenedAt)}, updated {Time(incident.UpdatedAt)}{(incident.ResolvedAt is { } resolved ? $", resolved {Time(resolved)}" : "")}");
        foreach (var affected in detail.Affected)
        {
            await Console.Out.WriteLineAsync($"  affected   {affected.Layer} {Subject(affected)}");
        }

        await Console.Out.WriteLineAsync($"  signals    {detail.Signals.Count} shown of {incident.SignalCount}");
        foreach (var signal in detail.Signals)
        {
            var subject = signal.Subject is null ? "" : $" {Subject(signal.Subject)}";
            await Console.Out.WriteLineAsync($"    {signal.Severity,-8} {signal.Detector}/{signal.Reason}{subject}: {signal.Message}");
        }

        if (detail.Diagnosis is not { } diagnosis)
        {
            await Console.Out.WriteLineAsync("  diagnosis  none yet");
            return;
        }

        await Console.Out.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"  root cause {diagnosis.RootCause} ({diagnosis.Engine}, layer {diagnosis.Layer}, confidence {diagnosis.Confidence:0.00}, revision {diagnosis.IncidentRevision})"));
        foreach (var remediation in diagnosis.Remediations)
        {
            var action = remediation.Action.Length == 0 ? "" : $" [{remediation.Action}, risk {remediation.Risk}]";
            await Console.Out.WriteLineAsync($"    - {remediation.Title}{action}{(remediation.Description.Length > 0 ? ": " + remediation.Description : "")}");
        }

        foreach (var citation in diagnosis.Citations)
        {
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"    see kb:{citation.ChunkId} {citation.Title} ({citation.Score:0.00})"));
        }
    }
}
