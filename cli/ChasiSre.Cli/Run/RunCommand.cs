using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChasiSre.Cli.Run;

/// <summary><c>chasi run</c>: the long-running pipeline, all of it or the components a workload runs.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var components = new Option<string?>("--components") { Description = $"Comma-separated components to run: {string.Join(", ", PipelineComponents.Known)}, or all (the pipeline: all but the operator). Default: all (with --embedded: all but the gateway, and ingest only when a cluster is configured)." };
        var config = new Option<string?>("--config") { Description = "An appsettings JSON file (sections Kafka, ClickHouse, Ingest, Gateway, Streams, Diagnosis, Api, ...). Environment variables (Kafka__BootstrapServers=...) override it, flags override both." };
        var embedded = new Option<bool>("--embedded") { Description = "Single-node install: Kafka (librdkafka's mock cluster) and ClickHouse (chDB) run in this process, data under --data-dir. Kafka data lives in memory and is gone after a restart; ClickHouse data and the knowledge base persist." };
        var dataDir = new Option<string>("--data-dir") { Description = "Where embedded data lives.", DefaultValueFactory = _ => ".chasi" };
        var listen = new Option<string>("--listen") { Description = "HTTP addresses for /healthz, /readyz and the API (semicolon-separated).", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "The cluster ingest watches (default: KUBECONFIG, ~/.kube/config, or the in-cluster service account)." };
        var context = new Option<string?>("--context") { Description = "The kubeconfig context." };
        var set = new Option<string[]>("--set") { Description = "Section:Key=value, applied after the file and the environment (repeatable).", Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = false };
        var command = new Command("run", "Run the pipeline until stopped (SIGTERM/Ctrl-C stops it gracefully: consumers commit, the topology flushes). Exit 2 on invalid configuration.")
        {
            components, config, embedded, dataDir, listen, kubeconfig, context, set,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var overrides = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var pair in result.GetValue(set) ?? [])
            {
                var at = pair.IndexOf('=', StringComparison.Ordinal);
                if (at <= 0)
                {
                    await Console.Error.WriteLineAsync($"--set {pair}: expected Section:Key=value");
                    return 2;
                }

                overrides[pair[..at]] = pair[(at + 1)..];
            }

            if (result.GetValue(kubeconfig) is { } path)
            {
                overrides["Ingest:Kubeconfig"] = Path.GetFullPath(path);
            }

            if (result.GetValue(context) is { } name)
            {
                overrides["Ingest:Context"] = name;
            }

            var isEmbedded = result.GetValue(embedded);
            IReadOnlySet<string> chosen;
            try
            {
                chosen = result.GetValue(components) is { } list ? PipelineComponents.Parse(list)
                    : isEmbedded ? DefaultEmbedded(overrides.ContainsKey("Ingest:Kubeconfig"))
                    : new HashSet<string>(PipelineComponents.All, StringComparer.Ordinal);
            }
            catch (ArgumentException ex)
            {
                await Console.Error.WriteLineAsync($"--components: {ex.Message}");
                return 2;
            }

            var settings = new RunSettings(chosen, result.GetValue(config), isEmbedded, Path.GetFullPath(result.GetValue(dataDir)!), result.GetValue(listen)!, overrides);
            return await RunAsync(settings, cancellationToken);
        });
        return command;
    }

    internal static async Task<int> RunAsync(RunSettings settings, CancellationToken cancellationToken)
    {
        Microsoft.AspNetCore.Builder.WebApplication app;
        try
        {
            app = PipelineHost.Build(settings);
        }
        catch (Exception ex) when (ex is InvalidDataException or FileNotFoundException or FormatException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"chasi run: {ex.Message}");
            return 2;
        }

        await using (app)
        {
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (OptionsValidationException ex)
            {
                await Console.Error.WriteLineAsync($"chasi run: invalid configuration: {string.Join("; ", ex.Failures)}");
                return 2;
            }

            await Console.Error.WriteLineAsync($"chasi run: {string.Join(", ", PipelineComponents.Known.Where(settings.Components.Contains))} running; health on {settings.Urls}/readyz");
            await app.WaitForShutdownAsync(cancellationToken);
            await app.StopAsync(CancellationToken.None);
        }

        return 0;
    }

    // Ingest needs a cluster: with none configured, --embedded runs the rest (adapters and alerts still flow in).
    private static HashSet<string> DefaultEmbedded(bool kubeconfigGiven)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var cluster = kubeconfigGiven
            || Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 }
            || File.Exists(Path.Combine(home, ".kube", "config"))
            || Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is { Length: > 0 };
        return new HashSet<string>(PipelineComponents.EmbeddedDefault.Where(c => cluster || c != PipelineComponents.Ingest), StringComparer.Ordinal);
    }
}
