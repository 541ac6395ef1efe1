using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using LLama;
using LLama.Common;
using LLama.Exceptions;
using LLama.Native;
using LLama.Transformers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Platform.Inference;

/// <summary>
/// A local LLM over LLamaSharp (llama.cpp): loads one GGUF file once and serves generations,
/// optionally constrained by a GBNF grammar. Thread-safe: the weights are shared and every
/// request gets its own context; at most <see cref="LocalLlmOptions.MaxConcurrentRequests"/>
/// generate at once, the others wait.
/// </summary>
public sealed class LocalLlm : IDisposable
{
    private readonly LLamaWeights _weights;
    private readonly ModelParams _contextParams;
    private readonly LocalLlmOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _gate;
    private readonly TokenByteTable _tokenBytes;
    private int _disposed;

    private LocalLlm(LLamaWeights weights, ModelParams contextParams, LocalLlmOptions options, ILogger logger, TimeProvider timeProvider)
    {
        _weights = weights;
        _contextParams = contextParams;
        _options = options;
        _logger = logger;
        _timeProvider = timeProvider;
        _gate = new SemaphoreSlim(options.MaxConcurrentRequests, options.MaxConcurrentRequests);
        ModelId = string.IsNullOrWhiteSpace(options.ModelId) ? Path.GetFileNameWithoutExtension(options.ModelPath) : options.ModelId;
        HasChatTemplate = weights.Metadata.ContainsKey("tokenizer.chat_template");
        _tokenBytes = new TokenByteTable(weights.NativeHandle);
    }

    /// <summary>The GGUF file.</summary>
    public string ModelPath => _options.ModelPath;

    /// <summary>Model id (option or file name).</summary>
    public string ModelId { get; }

    /// <summary>Tokens in the vocabulary.</summary>
    public int VocabularySize => _weights.Vocab.Count;

    /// <summary>Hidden size of the model.</summary>
    public int EmbeddingSize => _weights.EmbeddingSize;

    /// <summary>Context length the model was trained with.</summary>
    public int TrainingContextSize => _weights.ContextSize;

    /// <summary>Parameters in the model.</summary>
    public ulong ParameterCount => _weights.ParameterCount;

    /// <summary>Whether the GGUF carries a chat template (<c>tokenizer.chat_template</c>).</summary>
    public bool HasChatTemplate { get; }

    internal LLamaWeights Weights => _weights;

    /// <summary>Loads the model named by <paramref name="options"/>.</summary>
    /// <exception cref="FileNotFoundException">The model file does not exist.</exception>
    /// <exception cref="LoadWeightsFailedException">llama.cpp rejected the file.</exception>
    public static LocalLlm Load(LocalLlmOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        var (parameters, logger, time) = Prepare(options, loggerFactory, timeProvider);
        long start = time.GetTimestamp();
        var weights = LLamaWeights.LoadFromFile(parameters);
        return Loaded(weights, parameters, options, logger, time, start);
    }

    /// <summary>Loads the model named by <paramref name="options"/> off the calling thread.</summary>
    public static async Task<LocalLlm> LoadAsync(LocalLlmOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        var (parameters, logger, time) = Prepare(options, loggerFactory, timeProvider);
        long start = time.GetTimestamp();
        var weights = await LLamaWeights.LoadFromFileAsync(parameters, cancellationToken, progressReporter: null);
        return Loaded(weights, parameters, options, logger, time, start);
    }

    /// <summary>Generates a completion and returns it whole.</summary>
    /// <exception cref="OperationCanceledException">Cancelled; checked before every token.</exception>
    /// <exception cref="InvalidOperationException">The prompt does not fit the context, or llama.cpp failed to decode.</exception>
    public async Task<LlmCompletion> CompleteAsync(LlmRequest request, CancellationToken cancellationToken = default)
    {
        LlmCompletion? completion = null;
        await foreach (var update in StreamAsync(request, cancellationToken))
        {
            completion = update.Completion ?? completion;
        }

        return completion ?? throw new InvalidOperationException("Generation ended without a summary.");
    }

    /// <summary>Generates a completion piece by piece; the last update carries the summary.</summary>
    public async IAsyncEnumerable<LlmStreamUpdate> StreamAsync(LlmRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        int maxTokens = request.MaxTokens ?? _options.MaxTokens;
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 1, nameof(request));
        float temperature = request.Temperature ?? _options.Temperature;
        uint seed = request.Seed ?? _options.Seed;

        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var activity = InferenceTelemetry.Source.StartActivity(InferenceTelemetryNames.GenerateActivity, ActivityKind.Internal);
            activity?.SetTag(InferenceTelemetryNames.ModelTag, ModelId);
            long start = _timeProvider.GetTimestamp();
            Log.PromptSensitive(_logger, request.Prompt);
            if (request.Grammar is { } grammar)
            {
                Log.GrammarUsed(_logger, grammar.Root, grammar.Text);
                ValidateGrammar(grammar);
            }

            using var context = _weights.CreateContext(_contextParams, logger: null);
            using var sampler = new ConstrainedSamplingPipeline(request.Grammar, _tokenBytes, temperature, seed);

            var prompt = context.Tokenize(request.Prompt, addBos: _weights.Vocab.ShouldAddBOS, special: request.ParseSpecialTokens);
            int contextSize = checked((int)context.ContextSize);
            if (prompt.Length == 0)
            {
                throw new ArgumentException("The prompt is empty and the model adds no BOS token.", nameof(request));
            }

            if (prompt.Length >= contextSize)
            {
                throw new InvalidOperationException($"The prompt has {prompt.Length} tokens but the context holds {contextSize}: shorten the prompt or raise {nameof(LocalLlmOptions)}.{nameof(LocalLlmOptions.ContextSize)}.");
            }

            var batch = new LLamaBatch();
            int position = 0;
            int chunk = checked((int)context.BatchSize);
            while (position < prompt.Length)
            {
                int count = Math.Min(chunk, prompt.Length - position);
                batch.Clear();
                batch.AddRange(prompt.AsSpan(position, count), position, LLamaSeqId.Zero, logitsLast: position + count == prompt.Length);
                position += count;
                await DecodeAsync(context, batch, cancellationToken);
            }

            var decoder = new StreamingTokenDecoder(context);
            var text = new StringBuilder();
            int generated = 0;
            LlmStopReason reason;
            while (true)
            {
                if (generated >= maxTokens)
                {
                    reason = LlmStopReason.MaxTokens;
                    break;
                }

                if (position >= contextSize)
                {
                    reason = LlmStopReason.ContextFull;
                    break;
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    Log.GenerationCancelled(_logger, generated);
                    cancellationToken.ThrowIfCancellationRequested();
                }

                // Sample applies the grammar and accepts the chosen token into the sampler chain.
                var token = sampler.Sample(context.NativeHandle, batch.TokenCount - 1);
                if (token.IsEndOfGeneration(_weights.Vocab))
                {
                    reason = LlmStopReason.EndOfGeneration;
                    break;
                }

                generated++;
                decoder.Add(token);
                string piece = decoder.Read();
                if (piece.Length > 0)
                {
                    text.Append(piece);
                    yield return new LlmStreamUpdate(piece, null);
                }

                batch.Clear();
                batch.Add(token, position++, LLamaSeqId.Zero, logits: true);
                await DecodeAsync(context, batch, cancellationToken);
            }

            var elapsed = _timeProvider.GetElapsedTime(start);
            var completion = new LlmCompletion(text.ToString(), reason, prompt.Length, generated, elapsed);
            Log.GenerationCompleted(_logger, completion.PromptTokens, completion.CompletionTokens, (long)elapsed.TotalMilliseconds, reason);
            Log.CompletionSensitive(_logger, completion.Text);
            InferenceTelemetry.RecordGeneration(ModelId, completion);
            activity?.SetTag(InferenceTelemetryNames.StopReasonTag, reason.ToString());
            activity?.SetTag("gen_ai.usage.input_tokens", completion.PromptTokens);
            activity?.SetTag("gen_ai.usage.output_tokens", completion.CompletionTokens);
            yield return new LlmStreamUpdate(string.Empty, completion);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Checks with llama.cpp's own parser that <paramref name="grammar"/> is usable (every request
    /// does this too; call it to reject a hand-written grammar early).
    /// </summary>
    /// <exception cref="ArgumentException">llama.cpp rejects the grammar.</exception>
    public void ValidateGrammar(GbnfGrammar grammar)
    {
        ArgumentNullException.ThrowIfNull(grammar);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        LlamaGrammarCheck.EnsureValid(_weights.NativeHandle, grammar);
    }

    /// <summary>Renders chat messages into a prompt: the model's own chat template when the GGUF has one, else a plain transcript.</summary>
    internal (string Prompt, bool Special) RenderChat(IEnumerable<KeyValuePair<string, string>> messages)
    {
        if (HasChatTemplate)
        {
            var template = new LLamaTemplate(_weights, strict: false) { AddAssistant = true };
            foreach (var (role, content) in messages)
            {
                template.Add(role, content);
            }

            return (PromptTemplateTransformer.ToModelPrompt(template), true);
        }

        var transcript = new StringBuilder();
        foreach (var (role, content) in messages)
        {
            transcript.Append(role).Append(": ").Append(content).Append('\n');
        }

        transcript.Append("assistant: ");
        return (transcript.ToString(), false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _weights.Dispose();
        _gate.Dispose();
    }

    private static async Task DecodeAsync(LLamaContext context, LLamaBatch batch, CancellationToken cancellationToken)
    {
        var result = await context.DecodeAsync(batch, cancellationToken);
        if (result != DecodeResult.Ok)
        {
            throw new InvalidOperationException($"llama.cpp failed to decode a batch: {result}.");
        }
    }

    private static (ModelParams Parameters, ILogger Logger, TimeProvider Time) Prepare(LocalLlmOptions options, ILoggerFactory? loggerFactory, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new LocalLlmOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new ArgumentException($"Invalid {nameof(LocalLlmOptions)}: {validation.FailureMessage}", nameof(options));
        }

        if (!File.Exists(options.ModelPath))
        {
            throw new FileNotFoundException($"GGUF model file '{options.ModelPath}' does not exist (set {LocalLlmOptions.SectionName}:{nameof(LocalLlmOptions.ModelPath)}).", options.ModelPath);
        }

        var logger = (ILogger?)loggerFactory?.CreateLogger<LocalLlm>() ?? NullLogger<LocalLlm>.Instance;
        LlamaNative.RouteLogsTo(logger);
        var parameters = new ModelParams(options.ModelPath)
        {
            ContextSize = options.ContextSize == 0 ? null : (uint)options.ContextSize,
            Threads = options.Threads == 0 ? null : options.Threads,
            BatchThreads = options.Threads == 0 ? null : options.Threads,
            GpuLayerCount = 0,
        };
        return (parameters, logger, timeProvider ?? TimeProvider.System);
    }

    private static LocalLlm Loaded(LLamaWeights weights, ModelParams parameters, LocalLlmOptions options, ILogger logger, TimeProvider time, long start)
    {
        long elapsedMilliseconds = (long)time.GetElapsedTime(start).TotalMilliseconds;
        var llm = new LocalLlm(weights, parameters, options, logger, time);
        ulong parameterCount = llm.ParameterCount;
        int vocabularySize = llm.VocabularySize;
        int embeddingSize = llm.EmbeddingSize;
        int contextSize = llm.TrainingContextSize;
        Log.ModelLoaded(logger, options.ModelPath, parameterCount, vocabularySize, embeddingSize, contextSize, elapsedMilliseconds);
        if (logger.IsEnabled(LogLevel.Debug) && NativeLibraryLocator.FindLoaded(LlamaNative.LibraryFileName) is { } path)
        {
            Log.NativeLibraryLoaded(logger, LlamaNative.LibraryFileName, path);
        }

        return llm;
    }
}
