using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over a remote endpoint speaking the
/// OpenAI (<c>POST /v1/embeddings</c>) or Ollama (<c>POST /api/embed</c>) wire format. Inputs are
/// sent in batches of <see cref="EmbeddingEndpointOptions.BatchSize"/>; a non-success status or a
/// malformed answer throws <see cref="HttpRequestException"/> naming the endpoint.
/// </summary>
public sealed class HttpEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly EmbeddingEndpointOptions _options;
    private readonly Uri _requestUri;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <summary>Uses <paramref name="httpClient"/> (not disposed) or a client of its own.</summary>
    public HttpEmbeddingGenerator(EmbeddingEndpointOptions options, HttpClient? httpClient = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new EmbeddingEndpointOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new ArgumentException($"Invalid {nameof(EmbeddingEndpointOptions)}: {validation.FailureMessage}", nameof(options));
        }

        _options = options;
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient { Timeout = options.Timeout };
        var path = options.Protocol == EmbeddingProtocol.Ollama ? "api/embed" : "v1/embeddings";
        var baseUri = options.Endpoint!.AbsoluteUri.EndsWith('/') ? options.Endpoint : new Uri(options.Endpoint.AbsoluteUri + "/");
        _requestUri = new Uri(baseUri, path);
        _logger = (ILogger?)loggerFactory?.CreateLogger<HttpEmbeddingGenerator>() ?? NullLogger<HttpEmbeddingGenerator>.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _metadata = new EmbeddingGeneratorMetadata(options.Protocol.ToString(), _requestUri, options.Model, options.Dimensions);
    }

    /// <summary>The URI requests go to.</summary>
    public Uri RequestUri => _requestUri;

    /// <inheritdoc />
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = values as string[] ?? values.ToArray();
        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Length);
        var model = options?.ModelId ?? _options.Model;
        foreach (var batch in inputs.Chunk(_options.BatchSize))
        {
            var vectors = _options.Protocol == EmbeddingProtocol.Ollama
                ? await OllamaAsync(model, batch, cancellationToken)
                : await OpenAiAsync(model, batch, options?.Dimensions ?? _options.Dimensions, cancellationToken);
            if (vectors.Count != batch.Length || vectors.Any(v => v is null || v.Length == 0))
            {
                throw new HttpRequestException($"{_requestUri} returned {vectors.Count} embeddings for {batch.Length} inputs (or an empty one).");
            }

            var createdAt = _timeProvider.GetUtcNow();
            foreach (var vector in vectors)
            {
                result.Add(new Embedding<float>(vector) { ModelId = model, CreatedAt = createdAt });
            }

            Log.EndpointEmbeddings(_logger, _requestUri, vectors.Count, vectors[0].Length);
        }

        return result;
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
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<IReadOnlyList<float[]>> OpenAiAsync(string model, string[] batch, int? dimensions, CancellationToken cancellationToken)
    {
        using var request = Request(JsonContent.Create(new OpenAiEmbeddingRequest(model, batch, "float", dimensions), EmbeddingWireJsonContext.Default.OpenAiEmbeddingRequest));
        using var response = await SendAsync(request, cancellationToken);
        var body = await response.Content.ReadFromJsonAsync(EmbeddingWireJsonContext.Default.OpenAiEmbeddingResponse, cancellationToken)
            ?? throw new HttpRequestException($"{_requestUri} returned an empty body.");
        if (body.Data is null)
        {
            throw new HttpRequestException($"{_requestUri} returned no 'data' array.");
        }

        return body.Data.OrderBy(d => d.Index).Select(d => d.Embedding!).ToArray();
    }

    private async Task<IReadOnlyList<float[]>> OllamaAsync(string model, string[] batch, CancellationToken cancellationToken)
    {
        using var request = Request(JsonContent.Create(new OllamaEmbedRequest(model, batch), EmbeddingWireJsonContext.Default.OllamaEmbedRequest));
        using var response = await SendAsync(request, cancellationToken);
        var body = await response.Content.ReadFromJsonAsync(EmbeddingWireJsonContext.Default.OllamaEmbedResponse, cancellationToken)
            ?? throw new HttpRequestException($"{_requestUri} returned an empty body.");
        return body.Embeddings ?? throw new HttpRequestException($"{_requestUri} returned no 'embeddings' array.");
    }

    private HttpRequestMessage Request(HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _requestUri) { Content = content };
        if (!string.IsNullOrEmpty(_options.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        }

        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await _http.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"{_requestUri} answered {(int)response.StatusCode} {response.ReasonPhrase}: {(text.Length > 300 ? text[..300] : text)}", null, response.StatusCode);
        }
    }
}
