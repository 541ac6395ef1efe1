using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>Opens the <see cref="KnowledgeBase"/> once, on first use, and shares it; disposes it with the container.</summary>
public sealed class KnowledgeBaseProvider(
    KnowledgeBaseOptions options,
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    ILoggerFactory? loggerFactory = null,
    TimeProvider? timeProvider = null) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private KnowledgeBase? _knowledgeBase;

    /// <summary>The shared knowledge base, opened on the first call.</summary>
    public async Task<KnowledgeBase> GetAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _knowledgeBase) is { } opened)
        {
            return opened;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _knowledgeBase ??= await KnowledgeBase.OpenAsync(options, embeddings, null, loggerFactory, timeProvider, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_knowledgeBase is { } knowledgeBase)
        {
            await knowledgeBase.DisposeAsync();
        }

        _gate.Dispose();
    }
}
