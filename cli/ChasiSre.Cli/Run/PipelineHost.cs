using ChasiSre.Api;
using ChasiSre.Cli.Diagnosis;
using ChasiSre.Diagnosis.Engine;
using ChasiSre.Diagnosis.Evidence;
using ChasiSre.Diagnosis.Knowledge;
using ChasiSre.Diagnosis.Knowledge.Sources;
using ChasiSre.Diagnosis.Llm;
using ChasiSre.Executor;
using ChasiSre.Ingest;
using ChasiSre.Ingest.Gateway;
using ChasiSre.Operator;
using ChasiSre.Platform.ClickHouse;
using ChasiSre.Platform.Hosting;
using ChasiSre.Platform.Kafka;
using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Streams.Correlation;
using ChasiSre.Streams.Pipeline;
using ChasiSre.Streams.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Cli.Run;

/// <summary>What <c>chasi run</c> was asked for.</summary>
/// <param name="Components">The components to run (<see cref="PipelineComponents"/>).</param>
/// <param name="ConfigFile">An appsettings JSON file, or null.</param>
/// <param name="Embedded">Run Kafka (librdkafka's mock cluster) and ClickHouse (chDB) in the process.</param>
/// <param name="DataDirectory">Where embedded data lives (chDB, the knowledge base).</param>
/// <param name="Urls">The HTTP addresses (health, API).</param>
/// <param name="Overrides">Configuration set by flags (<c>--set Section:Key=value</c>, <c>--kubeconfig</c>): applied last.</param>
internal sealed record RunSettings(IReadOnlySet<string> Components, string? ConfigFile, bool Embedded, string DataDirectory, string Urls, IReadOnlyDictionary<string, string?> Overrides);

/// <summary>
/// The composition root of the long-running pipeline: one ASP.NET Core host whose hosted services are the chosen
/// components, configured from appsettings, then <c>CHASI_</c>-less environment variables (<c>Kafka__BootstrapServers</c>),
/// then flags; every options class is validated on start, so a bad setting stops the start naming the field. Health:
/// <c>/healthz</c> (alive) and <c>/readyz</c> (each component's readiness).
/// </summary>
internal static class PipelineHost
{
    /// <summary>Builds the host; with <see cref="RunSettings.Embedded"/> also starts the embedded Kafka, which the host
    /// disposes when it stops.</summary>
    public static WebApplication Build(RunSettings settings, Action<ILoggingBuilder>? logging = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "Warning",
        });
        if (settings.ConfigFile is { } file)
        {
            builder.Configuration.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
        }

        builder.Configuration.AddEnvironmentVariables();
        EmbeddedKafkaCluster? kafka = null;
        if (settings.Embedded)
        {
            Directory.CreateDirectory(settings.DataDirectory);
            kafka = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { Brokers = 1, PartitionsOverride = new StreamsOptions().Partitions });
            kafka.CreateCatalogTopics();

            // Only the streams component needs its topology's internal topics (listing them builds the topology, and
            // Streamiz builds its loggers from the factory of the last stream started in the process).
            foreach (var topic in settings.Components.Contains(PipelineComponents.Streams) ? DetectionApplication.InternalTopics(new StreamsOptions()) : [])
            {
                kafka.CreateTopic(topic);
            }

            var embedded = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
                ["ClickHouse:Backend"] = nameof(ClickHouseBackend.Embedded),
                ["ClickHouse:EmbeddedDataPath"] = Path.Combine(settings.DataDirectory, "chdb"),
                ["Diagnosis:Knowledge:DataDirectory"] = Path.Combine(settings.DataDirectory, "knowledge"),
            };
            foreach (var (key, value) in EmbeddedKafkaCluster.ConsumerProperties)
            {
                embedded[$"Kafka:ConsumerProperties:{key}"] = value;
            }

            builder.Configuration.AddInMemoryCollection(embedded);
        }

        builder.Configuration.AddInMemoryCollection(settings.Overrides);
        builder.WebHost.UseUrls(settings.Urls);
        if (logging is not null)
        {
            logging(builder.Logging);
        }

        builder.AddServiceDefaults();
        var services = builder.Services;
        var ready = services.AddHealthChecks();
        if (kafka is not null)
        {
            services.AddSingleton(kafka);
        }

        services.AddValidatedOptions<KafkaOptions>(KafkaOptions.SectionName);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<KafkaClientFactory>();
        var components = settings.Components;
        var needsStore = components.Contains(PipelineComponents.Sink) || components.Contains(PipelineComponents.Diagnosis)
            || components.Contains(PipelineComponents.Knowledge) || components.Contains(PipelineComponents.Api);
        if (needsStore)
        {
            services.AddClickHouseStore().BindConfiguration(ClickHouseOptions.SectionName);
        }

        if (components.Contains(PipelineComponents.Sink))
        {
            services.AddClickHouseSink().BindConfiguration(ClickHouseSinkOptions.SectionName);
            services.AddSingleton<SinkService>();
            services.AddHostedService(sp => sp.GetRequiredService<SinkService>());
            ready.AddCheck<SinkService>(PipelineComponents.Sink, tags: [HealthTags.Ready]);
        }

        if (components.Contains(PipelineComponents.Streams))
        {
            services.AddValidatedOptions<StreamsOptions>(StreamsOptions.SectionName);
            services.AddIncidentCorrelation().BindConfiguration(CorrelationOptions.SectionName);
            services.AddSingleton<DetectionService>();
            services.AddHostedService(sp => sp.GetRequiredService<DetectionService>());
            ready.AddCheck<DetectionService>(PipelineComponents.Streams, tags: [HealthTags.Ready]);
        }

        if (components.Contains(PipelineComponents.Knowledge) || components.Contains(PipelineComponents.Diagnosis) || components.Contains(PipelineComponents.Api))
        {
            services.AddKnowledgeBase().BindConfiguration(KnowledgeBaseOptions.SectionName);
        }

        if (components.Contains(PipelineComponents.Knowledge))
        {
            var runbooks = builder.Configuration.GetSection("Diagnosis:Knowledge:Runbooks").Get<string[]>()
                ?? (Directory.Exists(DiagnosisSession.DefaultRunbooks) ? [DiagnosisSession.DefaultRunbooks] : []);
            services.AddSingleton(sp => new RunbookIndexService(sp.GetRequiredService<KnowledgeBaseProvider>(), runbooks, sp.GetRequiredService<ILogger<RunbookIndexService>>()));
            services.AddHostedService(sp => sp.GetRequiredService<RunbookIndexService>());
            ready.AddCheck<RunbookIndexService>(PipelineComponents.Knowledge, tags: [HealthTags.Ready]);
            services.AddPastIncidentIndexer().BindConfiguration(PastIncidentIndexerOptions.SectionName);
            services.AddBusinessRunbookConsumer().BindConfiguration(BusinessRunbookConsumerOptions.SectionName);
        }

        if (components.Contains(PipelineComponents.Diagnosis))
        {
            services.AddChasiLlm().BindConfiguration(LlmOptions.SectionName);
            services.AddEvidencePackBuilder().BindConfiguration(EvidencePackOptions.SectionName);
            services.AddClickHouseEvidenceSource().BindConfiguration(ClickHouseEvidenceSourceOptions.SectionName);
            services.AddDiagnosisConsumer().BindConfiguration(DiagnosisOptions.SectionName);
        }

        if (components.Contains(PipelineComponents.Executor))
        {
            // Its own credentials (Executor:Kubeconfig, Executor:Clusters), never ingest's; without them every action
            // is proposed, judged and audited, and fails its dry run naming the missing cluster.
            services.AddActionExecutor().BindConfiguration(ExecutorOptions.SectionName);
            services.AddSingleton<ExecutorReadiness>();
            ready.AddCheck<ExecutorReadiness>(PipelineComponents.Executor, tags: [HealthTags.Ready]);
        }

        if (components.Contains(PipelineComponents.Gateway))
        {
            services.AddGateway().BindConfiguration(GatewayOptions.SectionName);
        }

        if (components.Contains(PipelineComponents.Ingest))
        {
            services.AddIngest();
        }

        if (components.Contains(PipelineComponents.Api))
        {
            services.AddChasiApi(builder.Configuration);
        }

        if (components.Contains(PipelineComponents.Operator))
        {
            services.AddChasiOperator();
            ready.AddCheck<OperatorController>(PipelineComponents.Operator, tags: [HealthTags.Ready]);
        }

        var app = builder.Build();
        app.MapHealthEndpoints();
        if (components.Contains(PipelineComponents.Api))
        {
            app.MapChasiApi();
        }

        return app;
    }
}
