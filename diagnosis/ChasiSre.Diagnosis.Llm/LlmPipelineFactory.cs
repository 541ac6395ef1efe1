using System.ClientModel;
using System.ClientModel.Primitives;
using System.Threading.RateLimiting;
using ChasiSre.Platform.Inference;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OllamaSharp;
using OpenAI;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>
/// Builds the configured provider and wraps it in the standard middleware
/// (<see cref="LlmPipelineChatClientBuilderExtensions.UseChasiPipeline"/>). Owns what it creates: the
/// HTTP client, the loaded GGUF model and the rate limiters are released on dispose.
/// </summary>
public sealed class LlmPipelineFactory : IDisposable
{
    /// <summary>Default Ollama address.</summary>
    public static readonly Uri DefaultOllamaEndpoint = new("http://localhost:11434");

    private readonly LlmOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _timeProvider;
    private readonly Func<HttpMessageHandler> _primaryHandler;
    private readonly Lock _gate = new();
    private readonly List<IDisposable> _owned = [];
    private IChatClient? _client;

    public LlmPipelineFactory(IOptions<LlmOptions> options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
        : this(options, loggerFactory, timeProvider, primaryHandler: null)
    {
    }

    /// <summary>With a custom innermost HTTP handler (proxies, client certificates, tests).</summary>
    public LlmPipelineFactory(IOptions<LlmOptions> options, ILoggerFactory? loggerFactory, TimeProvider? timeProvider, Func<HttpMessageHandler>? primaryHandler)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _primaryHandler = primaryHandler ?? (() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
    }

    /// <summary>The pipeline (built on first use): the deterministic placeholder, or provider plus middleware.</summary>
    public IChatClient ChatClient
    {
        get
        {
            lock (_gate)
            {
                return _client ??= Build();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _client?.Dispose();
            foreach (var owned in Enumerable.Reverse(_owned))
            {
                owned.Dispose();
            }

            _owned.Clear();
            _client = null;
        }
    }

    private IChatClient Build()
    {
        var logger = _loggerFactory.CreateLogger<LlmPipelineFactory>();
        if (_options.Provider == LlmProvider.Deterministic)
        {
            logger.PipelineCreated(_options.Provider, DeterministicChatClient.ModelId, "(none)", _options.JsonMode);
            return new DeterministicChatClient(_timeProvider, _loggerFactory.CreateLogger<DeterministicChatClient>());
        }

        var provider = CreateProvider();
        logger.PipelineCreated(_options.Provider, provider.GetService<ChatClientMetadata>()?.DefaultModelId ?? "(default)", _options.Endpoint?.GetLeftPart(UriPartial.Path) ?? "(default)", _options.JsonMode);
        var client = new ChatClientBuilder(provider)
            .UseChasiPipeline(_options, out var limiters, _loggerFactory, _timeProvider)
            .Build();
        foreach (RateLimiter limiter in limiters)
        {
            _owned.Add(limiter);
        }

        return client;
    }

    private IChatClient CreateProvider() => _options.Provider switch
    {
        LlmProvider.LlamaSharp => CreateLlamaSharp(),
        LlmProvider.OpenAI => CreateOpenAI(),
        LlmProvider.Ollama => CreateOllama(),
        _ => throw new InvalidOperationException($"Provider {_options.Provider} has no client."),
    };

    private LocalLlmChatClient CreateLlamaSharp()
    {
        var llm = LocalLlm.Load(
            new LocalLlmOptions
            {
                ModelPath = _options.ModelPath!,
                ContextSize = _options.ContextSize,
                Threads = _options.Threads,
                MaxTokens = _options.MaxOutputTokens,
                ModelId = _options.Model,
            },
            _loggerFactory,
            _timeProvider);
        _owned.Add(llm);
        return new LocalLlmChatClient(llm, _timeProvider);
    }

    private IChatClient CreateOpenAI()
    {
        var http = CreateHttpClient(reasoningFields: true);
        var clientOptions = new OpenAIClientOptions
        {
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = _options.RequestTimeout + TimeSpan.FromSeconds(10),
        };
        if (_options.Endpoint is { } endpoint)
        {
            clientOptions.Endpoint = endpoint;
        }

        // Local servers (LocalAI, vLLM, llama.cpp) take any key; the SDK insists on a non-empty one.
        var credential = new ApiKeyCredential(string.IsNullOrEmpty(_options.ApiKey) ? "no-key" : _options.ApiKey);
        return new OpenAI.Chat.ChatClient(_options.Model, credential, clientOptions).AsIChatClient();
    }

    private OllamaApiClient CreateOllama()
    {
        var http = CreateHttpClient(reasoningFields: false);
        http.BaseAddress = _options.Endpoint ?? DefaultOllamaEndpoint;
        return new OllamaApiClient(http, _options.Model!);
    }

    private HttpClient CreateHttpClient(bool reasoningFields)
    {
        HttpMessageHandler handler = new ProviderErrorHandler(_timeProvider) { InnerHandler = _primaryHandler() };
        if (reasoningFields)
        {
            handler = new ReasoningFieldHandler { InnerHandler = handler };
        }

        // Timeouts belong to TimeoutChatClient (per attempt, and idle between streamed chunks).
        var http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _owned.Add(http);
        return http;
    }
}
