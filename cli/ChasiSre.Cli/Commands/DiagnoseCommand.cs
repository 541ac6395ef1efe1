using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChasiSre.Cli.Diagnosis;
using ChasiSre.Cli.Scenarios;
using ChasiSre.Diagnosis.Evidence;
using ChasiSre.Platform.ClickHouse;
using ChasiSre.Schemas.V1;
using Google.Protobuf;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Cli.Commands;

/// <summary><c>chasi diagnose &lt;incident-id&gt;</c>: diagnose one stored incident again, from ClickHouse.</summary>
internal static partial class DiagnoseCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("incident-id") { Description = "The incident's id (inc-...)." };
        var store = new Option<string?>("--store") { Description = "An embedded ClickHouse (chDB) data directory, e.g. the one `chasi scenario run --store` wrote; without it the ClickHouse__* environment (Backend, EmbeddedDataPath, ServerConnectionString, Database) decides." };
        var format = OutputFormatOption.Create();
        var runbooks = ScenarioCommand.RunbooksOption();
        var command = new Command("diagnose", "Diagnose one incident again: its latest revision and evidence from ClickHouse, runbooks from the knowledge base, the LLM configured by environment (Diagnosis__Llm__*; rule-based without one). Exit 0 diagnosed, 1 no such incident, 2 invalid input.")
        {
            id, store, format, runbooks,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var incidentId = result.GetValue(id)!;
            if (!IncidentId().IsMatch(incidentId))
            {
                await Console.Error.WriteLineAsync($"'{incidentId}' is not an incident id (letters, digits, '-', '_', '.', ':')");
                return 2;
            }

            var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
            var services = new ServiceCollection();
            services.AddSingleton<IConfiguration>(configuration);
            services.AddLogging();
            services.AddClickHouseStore(o =>
            {
                if (result.GetValue(store) is { } path)
                {
                    o.Backend = ClickHouseBackend.Embedded;
                    o.EmbeddedDataPath = Path.GetFullPath(path);
                }
            }).BindConfiguration(ClickHouseOptions.SectionName);
            services.AddClickHouseEvidenceSource().BindConfiguration(ClickHouseEvidenceSourceOptions.SectionName);
            await using var provider = services.BuildServiceProvider();
            var database = provider.GetRequiredService<IOptions<ClickHouseOptions>>().Value.Database;
            if (!Identifier().IsMatch(database))
            {
                await Console.Error.WriteLineAsync($"ClickHouse database '{database}' is not a plain identifier");
                return 2;
            }

            var clickHouse = provider.GetRequiredService<IClickHouseStore>();
            var tables = await clickHouse.QueryAsync($"SELECT name FROM system.tables WHERE database = '{database}' AND name = 'incidents'", cancellationToken);
            if (tables.Count == 0)
            {
                await Console.Error.WriteLineAsync($"no incidents table in ClickHouse database {database}: nothing stored there yet (chasi scenario run --store, or the sink of chasi run)");
                return 1;
            }

            var rows = await clickHouse.QueryAsync(
                $"SELECT payload FROM {database}.incidents FINAL WHERE incident_id = '{incidentId}' ORDER BY version DESC LIMIT 1", cancellationToken);
            if (rows.Count == 0 || rows[0][0] is not string payload)
            {
                await Console.Error.WriteLineAsync($"no incident {incidentId} in {database}.incidents");
                return 1;
            }

            var incident = JsonParser.Default.Parse<Incident>(payload);
            var evidence = await provider.GetRequiredService<IEvidenceSource>().LoadAsync(incident, cancellationToken);
            await using var session = await DiagnosisSession.OpenAsync(result.GetValue(runbooks)!, NullLoggerFactory.Instance, cancellationToken);
            var outcome = await session.Engine.DiagnoseAsync(incident, evidence, cancellationToken);
            var output = ScenarioCommand.Output(incident, outcome, session.Provider);
            if (result.GetValue(format) == OutputFormat.Json)
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(output, ScenarioJsonContext.Default.IncidentOutput));
                return 0;
            }

            var d = output.Diagnosis!;
            await Console.Out.WriteLineAsync($"{incident.Id} rev {incident.Revision}: {incident.Category} ({output.Layer}), {incident.Summary}");
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"root cause ({d.Model}, layer {d.Layer}, confidence {d.Confidence:0.00}): {d.RootCause}"));
            foreach (var step in d.Remediation)
            {
                await Console.Out.WriteLineAsync($"  - {step}");
            }

            foreach (var line in d.Evidence)
            {
                await Console.Out.WriteLineAsync($"  evidence {line}");
            }

            foreach (var citation in d.Citations)
            {
                await Console.Out.WriteLineAsync($"  see {citation}");
            }

            return 0;
        });
        return command;
    }

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,200}$")]
    private static partial Regex IncidentId();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
    private static partial Regex Identifier();
}
