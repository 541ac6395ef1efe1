using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ChasiSre.Cli.Diagnosis;
using ChasiSre.Cli.Scenarios;
using ChasiSre.Diagnosis.Evidence;
using ChasiSre.Ingest;
using ChasiSre.Ingest.Scenarios;
using ChasiSre.Schemas.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Cli.Analyze;

/// <summary>
/// <c>chasi analyze</c>: one scan, like <c>k8sgpt analyze</c>, through the real pipeline. A cluster-info dump (with the
/// dumps of its vClusters) or one list of a live cluster becomes the records ingest publishes, which run through the
/// Streamiz detection topology on the embedded Kafka (as <c>chasi scenario run</c> replays scenarios); each incident found
/// is diagnosed (rule-based, or by the LLM configured through <c>Diagnosis__Llm__*</c>). Exit 0: no incident; 1: incidents;
/// 2: the source cannot be read.
/// </summary>
internal static class AnalyzeCommand
{
    public static Command Create()
    {
        var dump = new Option<string?>("--dump") { Description = "A directory written by 'kubectl cluster-info dump --all-namespaces --output-directory=DIR' (the host, or any cluster named by --cluster)." };
        var vclusterDumps = new Option<string[]>("--vcluster-dump") { Description = "NAME=DIR or NAME@HOSTNAMESPACE=DIR: the dump of vCluster NAME (taken through its kubeconfig) that runs on the --dump cluster; its host namespace is found in the host dump unless given. Repeatable.", Arity = ArgumentArity.ZeroOrMore };
        var cluster = new Option<string>("--cluster") { Description = "The name of the dumped or scanned (host) cluster in incidents.", DefaultValueFactory = _ => ScenarioCluster.HostName };
        var at = new Option<string?>("--at") { Description = "With --dump: the instant (RFC 3339) to analyze the dump as of; default the newest timestamp in it." };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Kubeconfig of a live cluster; default as kubectl (KUBECONFIG or ~/.kube/config), or the in-cluster service account." };
        var context = new Option<string?>("--context") { Description = "Kubeconfig context to use." };
        var vclusters = new Option<bool>("--vclusters") { Description = "Live only: also find the host's vClusters (app=vcluster workloads, vc-<name> kubeconfig secrets) and scan each." };
        var endpoints = new Option<string[]>("--vcluster-endpoint") { Description = "NAMESPACE/NAME=URL: where vCluster NAME's API is reached (default https://NAME.NAMESPACE:443, reachable in-cluster). Repeatable.", Arity = ArgumentArity.ZeroOrMore };
        var ns = new Option<string?>("--namespace", "-n") { Description = "Only incidents whose subject or an affected object is in this namespace." };
        var tenant = new Option<string?>("--tenant") { Description = "Only incidents of this tenant (its own, or one it affects)." };
        var format = OutputFormatOption.Create();
        var runbooks = ScenarioCommand.RunbooksOption();
        var verbose = new Option<bool>("--verbose") { Description = "Pipeline logs on stderr." };
        var command = new Command("analyze", "Scan a cluster (kubeconfig, context or in-cluster) or a cluster-info dump once, detect incidents with the Streamiz detection topology and diagnose them (rule-based unless Diagnosis__Llm__* configures an LLM). Exit 0: no incidents; 1: incidents found; 2: the dump or cluster cannot be read.")
        {
            dump, vclusterDumps, cluster, at, kubeconfig, context, vclusters, endpoints, ns, tenant, format, runbooks, verbose,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var dumpDirectory = result.GetValue(dump);
            var live = result.GetValue(kubeconfig) is not null || result.GetValue(context) is not null || result.GetValue(vclusters) || (result.GetValue(endpoints) ?? []).Length > 0;
            if (dumpDirectory is not null && live)
            {
                return await FailAsync("--dump reads files; --kubeconfig, --context, --vclusters and --vcluster-endpoint are for a live cluster");
            }

            if (dumpDirectory is null && ((result.GetValue(vclusterDumps) ?? []).Length > 0 || result.GetValue(at) is not null))
            {
                return await FailAsync("--vcluster-dump and --at need --dump");
            }

            using var loggerFactory = CreateLoggerFactory(result.GetValue(verbose));
            var logger = loggerFactory.CreateLogger(typeof(AnalyzeCommand).FullName!);
            AnalyzeInput input;
            try
            {
                input = dumpDirectory is not null
                    ? ReadDump(dumpDirectory, result.GetValue(cluster)!, result.GetValue(vclusterDumps) ?? [], result.GetValue(at), logger)
                    : await new ClusterScan(LiveOptions(result.GetValue(cluster)!, result.GetValue(kubeconfig), result.GetValue(context), result.GetValue(vclusters), result.GetValue(endpoints) ?? []), TimeProvider.System, logger)
                        .ScanAsync(cancellationToken);
            }
            catch (Exception e) when (e is AnalyzeSourceException or ClusterDumpException or DirectoryNotFoundException or FileNotFoundException or ScenarioValidationException or UnauthorizedAccessException)
            {
                return await FailAsync(e.Message);
            }

            foreach (var warning in input.Warnings)
            {
                await Console.Error.WriteLineAsync($"warning: {warning}");
            }

            var records = input.Batches.SelectMany(b => b.Records).ToList();
            Log.AnalyzeReplaying(logger, records.Count, input.Kind, input.Clusters.Count, input.AsOf);
            IReadOnlyList<Incident> incidents;
            using (var runner = new ScenarioRunner(loggerFactory))
            {
                incidents = await runner.RunAsync(input.Batches, input.AsOf, cancellationToken);
            }

            var selected = Select(incidents, result.GetValue(ns), result.GetValue(tenant));
            var outputs = new List<IncidentOutput>(selected.Count);
            if (selected.Count > 0)
            {
                await using var diagnosis = await DiagnosisSession.OpenAsync(result.GetValue(runbooks)!, loggerFactory, cancellationToken);
                var evidence = EvidenceInputs.FromRecords(records);
                foreach (var incident in selected)
                {
                    var outcome = await diagnosis.Engine.DiagnoseAsync(incident, evidence, cancellationToken);
                    outputs.Add(ScenarioCommand.Output(incident, outcome, diagnosis.Provider));
                }
            }

            var output = new AnalyzeOutput(
                new AnalyzeSourceOutput(input.Kind, input.Clusters, input.AsOf, result.GetValue(ns), result.GetValue(tenant)),
                outputs,
                new AnalyzeSummary(outputs.Count, Count(outputs, "critical"), Count(outputs, "high"), Count(outputs, "medium"), Count(outputs, "low")),
                input.Warnings);
            if (result.GetValue(format) == OutputFormat.Json)
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(output, AnalyzeJsonContext.Default.AnalyzeOutput));
            }
            else
            {
                await PrintAsync(output, selected);
            }

            return outputs.Count > 0 ? 1 : 0;
        });
        return command;
    }

    /// <summary>The open incidents that pass the filters, most severe first.</summary>
    internal static IReadOnlyList<Incident> Select(IReadOnlyList<Incident> incidents, string? @namespace, string? tenant) =>
        [.. incidents
            .Where(i => i.State != IncidentState.Resolved)
            .Where(i => string.IsNullOrEmpty(@namespace) || i.Subject?.Namespace == @namespace || i.Affected.Any(a => a.Namespace == @namespace))
            .Where(i => string.IsNullOrEmpty(tenant) || i.Tenant == tenant || i.Tenants.Contains(tenant) || i.Subject?.Tenant == tenant)
            .OrderByDescending(i => i.Severity)
            .ThenBy(i => i.Category, StringComparer.Ordinal)
            .ThenBy(i => i.Id, StringComparer.Ordinal)];

    private static AnalyzeInput ReadDump(string directory, string cluster, string[] vclusterDumps, string? at, ILogger logger)
    {
        var dumps = new List<VClusterDump>();
        foreach (var text in vclusterDumps)
        {
            dumps.Add(VClusterDump.Parse(text, out var error) ?? throw new AnalyzeSourceException(error!));
        }

        DateTimeOffset? asOf = null;
        if (at is not null)
        {
            asOf = DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
                ? parsed
                : throw new AnalyzeSourceException($"--at '{at}': not an RFC 3339 time");
        }

        return DumpSource.Read(directory, cluster, dumps, asOf, TimeProvider.System, logger);
    }

    private static IngestOptions LiveOptions(string cluster, string? kubeconfig, string? context, bool vclusters, string[] endpoints)
    {
        var options = new IngestOptions { ClusterName = cluster, Kubeconfig = kubeconfig, Context = context, DiscoverVClusters = vclusters };
        foreach (var endpoint in endpoints)
        {
            var equals = endpoint.IndexOf('=', StringComparison.Ordinal);
            var key = equals > 0 ? endpoint[..equals] : "";
            if (key.Split('/') is not [{ Length: > 0 }, { Length: > 0 }] || equals == endpoint.Length - 1)
            {
                throw new AnalyzeSourceException($"--vcluster-endpoint '{endpoint}': expected NAMESPACE/NAME=URL");
            }

            options.VClusterEndpoints[key] = endpoint[(equals + 1)..];
        }

        return options;
    }

    private static ILoggerFactory CreateLoggerFactory(bool verbose) => verbose
        ? LoggerFactory.Create(b => b.AddConsole(o => o.LogToStandardErrorThreshold = Microsoft.Extensions.Logging.LogLevel.Trace).SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Information))
        : NullLoggerFactory.Instance;

    private static int Count(List<IncidentOutput> incidents, string severity) => incidents.Count(i => i.Severity == severity);

    private static async Task<int> FailAsync(string message)
    {
        await Console.Error.WriteLineAsync($"chasi analyze: {message}");
        return 2;
    }

    private static async Task PrintAsync(AnalyzeOutput output, IReadOnlyList<Incident> incidents)
    {
        for (var i = 0; i < output.Incidents.Count; i++)
        {
            var incident = output.Incidents[i];
            var subject = incident.Subject;
            var tenant = incidents[i].Tenant is { Length: > 0 } t ? $"  tenant {t}" : "";
            await Console.Out.WriteLineAsync($"{incident.Severity.ToUpperInvariant(),-8} {incident.Category}  layer {incident.Layer}  {subject.Cluster}/{subject.Kind}/{(subject.Namespace is null ? "" : subject.Namespace + "/")}{subject.Name}{tenant}");
            await Console.Out.WriteLineAsync($"  summary      {incident.Summary}");
            if (incident.Diagnosis is { } diagnosis)
            {
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  root cause   {diagnosis.RootCause} (confidence {diagnosis.Confidence:0.00}, {diagnosis.Provider})"));
                await Console.Out.WriteLineAsync($"  remediation  {(diagnosis.Remediation.Count > 0 ? diagnosis.Remediation[0] : "(none)")}");
                await Console.Out.WriteLineAsync($"  runbook      {(diagnosis.Citations.Count > 0 ? diagnosis.Citations[0] : "(none)")}");
            }

            await Console.Out.WriteLineAsync($"  incident     {incident.Id}");
            await Console.Out.WriteLineAsync();
        }

        var filters = string.Join(string.Empty, new[] { output.Source.Namespace is { } n ? $" in namespace {n}" : "", output.Source.Tenant is { } t2 ? $" of tenant {t2}" : "" });
        var where = string.Create(CultureInfo.InvariantCulture, $"{output.Source.Kind} of {string.Join(", ", output.Source.Clusters)} as of {output.Source.AsOf:yyyy-MM-dd'T'HH:mm:ss'Z'}");
        var summary = output.Summary;
        await Console.Out.WriteLineAsync(summary.Incidents == 0
            ? $"no incidents{filters} ({where})"
            : string.Create(CultureInfo.InvariantCulture, $"{summary.Incidents} incident(s){filters}: {summary.Critical} critical, {summary.High} high, {summary.Medium} medium, {summary.Low} low ({where})"));
    }
}
