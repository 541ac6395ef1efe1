using ChasiSre.Cli.Bench.Rag;
using ChasiSre.Diagnosis.Engine;
using ChasiSre.Diagnosis.Evidence;
using ChasiSre.Diagnosis.Knowledge;
using ChasiSre.Diagnosis.Llm;
using ChasiSre.Platform.Inference;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Cli.Diagnosis;

/// <summary>
/// What a one-shot command diagnoses with: the LLM pipeline as configured in the environment
/// (<c>Diagnosis__Llm__Provider</c>, <c>Diagnosis__Llm__Endpoint</c>, ...; the deterministic provider when unset), and an
/// in-memory knowledge base with the starter runbooks (MiniLM embeddings, offline).
/// </summary>
internal sealed class DiagnosisSession : IAsyncDisposable
{
    private readonly ServiceProvider services;
    private readonly KnowledgeBase knowledge;
    private readonly MiniLmEmbeddingGenerator embeddings;

    private DiagnosisSession(ServiceProvider services, KnowledgeBase knowledge, MiniLmEmbeddingGenerator embeddings, DiagnosisEngine engine, string provider)
    {
        this.services = services;
        this.knowledge = knowledge;
        this.embeddings = embeddings;
        Engine = engine;
        Provider = provider;
    }

    public DiagnosisEngine Engine { get; }

    /// <summary>The configured LLM provider (<c>Deterministic</c> unless configured).</summary>
    public string Provider { get; }

    /// <summary>The runbook directory shipped in the repository.</summary>
    public static string DefaultRunbooks => RagBenchCommand.Locate(Path.Combine("diagnosis", "runbooks"));

    public static async Task<DiagnosisSession> OpenAsync(string runbooks, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var collection = new ServiceCollection();
        collection.AddSingleton<IConfiguration>(configuration);
        collection.AddSingleton(loggerFactory);
        collection.AddLogging();
        collection.AddChasiLlm().BindConfiguration(LlmOptions.SectionName);
        var services = collection.BuildServiceProvider();
        var embeddings = new MiniLmEmbeddingGenerator(loggerFactory: loggerFactory);
        KnowledgeBase? knowledge = null;
        try
        {
            var chat = services.GetRequiredService<IChatClient>();
            knowledge = await KnowledgeBase.OpenAsync(new KnowledgeBaseOptions(), embeddings, loggerFactory: loggerFactory, cancellationToken: cancellationToken);
            var report = await knowledge.AddPathsAsync([runbooks], cancellationToken: cancellationToken);
            if (report.Results.FirstOrDefault(r => r.Outcome == IngestOutcome.Failed) is { } failed)
            {
                throw new InvalidDataException($"{failed.Source}: {failed.Reason}");
            }

            var engine = new DiagnosisEngine(chat, new EvidencePackBuilder(new EvidencePackOptions()), new DiagnosisOptions(), knowledge, TimeProvider.System, loggerFactory.CreateLogger<DiagnosisEngine>());
            var provider = configuration[$"{LlmOptions.SectionName}:{nameof(LlmOptions.Provider)}"] ?? nameof(LlmProvider.Deterministic);
            return new DiagnosisSession(services, knowledge, embeddings, engine, provider);
        }
        catch
        {
            if (knowledge is not null)
            {
                await knowledge.DisposeAsync();
            }

            embeddings.Dispose();
            await services.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await knowledge.DisposeAsync();
        embeddings.Dispose();
        await services.DisposeAsync();
    }
}
