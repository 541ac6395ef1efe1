using System.ClientModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using ChasiSre.TestKit;
using Microsoft.Extensions.AI;

namespace ChasiSre.Diagnosis.Llm.Tests;

/// <summary>
/// The OpenAI-compatible path on the wire: Microsoft.Extensions.AI.OpenAI through the whole pipeline
/// against a Kestrel server answering with canned bodies written from the OpenAI Chat Completions API
/// reference and the DeepSeek / vLLM documentation of their extensions.
/// </summary>
public sealed class OpenAICompatibleWireTests
{
    private const string Path = "/v1/chat/completions";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetResponseAsync_OpenAIReferenceCompletion_ReturnsTextUsageAndSendsBearerModel()
    {
        await using var server = await FakeProviderServer.StartAsync(Path, Ct);
        server.Then(OpenAIWire.Json(OpenAIWire.Completion("The pod ran out of memory.")));
        using var factory = LlmTestPipelines.Factory(LlmTestPipelines.OpenAI(server.BaseUri));

        var response = await factory.ChatClient.GetResponseAsync(LlmTestPipelines.Messages(), cancellationToken: Ct);

        Assert.Equal("The pod ran out of memory.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(12, response.Usage?.InputTokenCount);
        var request = server.LastRequest;
        Assert.Equal(OpenAIWire.Model, (string?)request["model"]);
        Assert.Equal(1024, (int?)request["max_completion_tokens"] ?? (int?)request["max_tokens"]);
        Assert.Equal("system", (string?)request["messages"]![0]!["role"]);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_OpenAIReferenceSseWithKeepAliveComments_ReturnsWholeText()
    {
        await using var server = await FakeProviderServer.StartAsync(Path, Ct);
        server.Then(OpenAIWire.Sse(
        [
            ": keep-alive",
            OpenAIWire.Chunk("The pod ", role: true),
            ": keep-alive",
            OpenAIWire.Chunk("ran out "),
            ": keep-alive",
            OpenAIWire.Chunk("of memory."),
            OpenAIWire.Chunk(null, finishReason: "stop"),
        ]));
        using var factory = LlmTestPipelines.Factory(LlmTestPipelines.OpenAI(server.BaseUri));

        var (text, reasoning, finish) = await LlmTestPipelines.CollectAsync(factory.ChatClient.GetStreamingResponseAsync(LlmTestPipelines.Messages(), cancellationToken: Ct));

        Assert.Equal("The pod ran out of memory.", text);
        Assert.Empty(reasoning);
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.True((bool?)server.LastRequest["stream"]);
    }

    [Theory]
    [InlineData("reasoning_content")] // DeepSeek reasoner, vLLM < 0.10
    [InlineData("reasoning")] // vLLM >= 0.10, OpenRouter
    public async Task GetResponseAsync_DeepSeekOrVllmReferenceReasoningField_KeptOutOfAnswerAsReasoningContent(string field)
    {
        await using var server = await FakeProviderServer.StartAsync(Path, Ct);
        server.Then(OpenAIWire.Json(OpenAIWire.Completion("{\"rootCause\":\"oom\"}", field, "The limit is 128Mi and usage hit it.")));
        using var factory = LlmTestPipelines.Factory(LlmTestPipelines.OpenAI(server.BaseUri));

        var response = await factory.ChatClient.GetResponseAsync(LlmTestPipelines.Messages(), cancellationToken: Ct);

        Assert.Equal("{\"rootCause\":\"oom\"}", response.Text);
        var reasoning = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>());
        Assert.Equal("The limit is 128Mi and usage hit it.", reasoning.Text);
    }

    [Theory]
    [InlineData("reasoning_content")]
    [InlineData("reasoning")]
    public async Task GetStreamingResponseAsync_DeepSeekOrVllmReferenceReasoningDeltas_KeptOutOfAnswerAsReasoningContent(string field)
    {
        await using var server = await FakeProviderServer.StartAsync(Path, Ct);
        server.Then(OpenAIWire.Sse(
        [
            OpenAIWire.Chunk(null, reasoningField: field, reasoning: "Usage hit ", role: true),
            ": keep-alive",
            OpenAIWire.Chunk(null, reasoningField: field, reasoning: "the limit."),
            OpenAIWire.Chunk("{\"rootCause\":"),
            OpenAIWire.Chunk("\"oom\"}"),
            OpenAIWire.Chunk(null, finishReason: "stop"),
        ]));
        using var factory = LlmTestPipelines.Factory(LlmTestPipelines.OpenAI(server.BaseUri));

        var (text, reasoning, _) = await LlmTestPipelines.CollectAsync(factory.ChatClient.GetStreamingResponseAsync(LlmTestPipelines.Messages(), cancellationToken: Ct));

        Assert.Equal("{\"rootCause\":\"oom\"}", text);
        Assert.Equal("Usage hit the limit.", reasoning);
    }

    [Fact]
    public async Task GetResponseAsync_OpenAIReference429WithRetryAfterSeconds_WaitsThenSucceeds()
    {
        await using var server = await FakeProviderServer.StartAsync(Path, Ct);
        server.Then(OpenAIWire.Text(429, "application/json", """{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}""", h => h.RetryAfter = "1"))
            .Then(OpenAIWire.Json(OpenAIWire.Completion("ok")));
        using var factory = LlmTestPipelines.Factory(LlmTestPipelines.OpenAI(server.BaseUri));
        var watch = Stopwatch.StartNew();

        var response = await factory.ChatClient.GetResponseAsync(LlmTestPipelines.Messages(), cancellationToken: Ct);

        Assert.Equal("ok", response.Text);
        Assert.Equal(2, server.RequestCount);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(900), $"waited only {watch.Elapsed}");
    }

    [Fact]
    public async Task GetResponseAsync_OpenAIReference429WithRetryAfterHttpDate_WaitsThenSucceeds()
    {
        await using var server = await FakeProviderServer.StartAsync(Path, Ct);
        server.Then(async (context, body) =>
            {
                // HTTP-dates have whole seconds: two seconds ahead waits between one and two.
                string date = DateTimeOffset.UtcNow.AddSeconds(2).ToString("R", CultureInfo.InvariantCulture);
                await OpenAIWire.Text(429, "application/json", """{"error":{"message":"slow down","type":"requests"}}""", h => h.RetryAfter = date)(context, body);
            })
            .Then(OpenAIWire.Json(OpenAIWire.Completion("ok")));
        using var factory = LlmTestPipelines.Factory(LlmTestPipelines.OpenAI(server.BaseUri));
        var watch = Stopwatch.StartNew();

        var response = await factory.ChatClient.GetResponseAsync(LlmTestPipelines.Messages(), cancellationToken: Ct);

        Assert.Equal("ok", response.Text);
        Assert.Equal(2, server.RequestCount);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(900), $"waited only {watch.Elapsed}");
    }

    [Fact]
    public async Task GetResponseAsync_RetryAfterLongerThanMaxDelay_FailsAtOnceWithStatus()
    {
        await using var server = await FakeProviderServer.StartAsync(Path, Ct);
        server.Then(OpenAIWire.Text(429, "application/json", """{"error":{"message":"quota"}}""", h => h.RetryAfter = "3600"));
        using var factory = LlmTestPipelines.Factory(LlmTestPipelines.OpenAI(server.BaseUri));

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => factory.ChatClient.GetResponseAsync(LlmTestPipelines.Messages(), cancellationToken: Ct));

        var provider = FindProviderException(ex);
        Assert.Equal(HttpStatusCode.TooManyRequests, provider.StatusCode);
        Assert.Equal(TimeSpan.FromHours(1), provider.RetryAfter);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task GetResponseAsync_ProxyHtml502Then503ThenSuccess_RetriesWithBackoff()
    {
        await using var server = await FakeProviderServer.StartAsync(Path, Ct);
        server.Then(OpenAIWire.Text(502, "text/html", "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>"))
            .Then(OpenAIWire.Text(503, "text/plain", "upstream connect error or disconnect/reset before headers"))
            .Then(OpenAIWire.Json(OpenAIWire.Completion("recovered")));
        using var factory = LlmTestPipelines.Factory(LlmTestPipelines.OpenAI(server.BaseUri));

        var response = await factory.ChatClient.GetResponseAsync(LlmTestPipelines.Messages(), cancellationToken: Ct);

        Assert.Equal("recovered", response.Text);
        Assert.Equal(3, server.RequestCount);
    }

    [Fact]
    public async Task GetResponseAsync_400WithPlainTextBody_FailsWithoutRetryAndKeepsBodyExcerpt()
    {
        await using var server = await FakeProviderServer.StartAsync(Path, Ct);
        server.Then(OpenAIWire.Text(400, "text/plain", "model 'test-model' does not support response_format"));
        using var factory = LlmTestPipelines.Factory(LlmTestPipelines.OpenAI(server.BaseUri));

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => factory.ChatClient.GetResponseAsync(LlmTestPipelines.Messages(), cancellationToken: Ct));

        var provider = FindProviderException(ex);
        Assert.Equal(HttpStatusCode.BadRequest, provider.StatusCode);
        Assert.Contains("does not support response_format", provider.ResponseExcerpt, StringComparison.Ordinal);
        Assert.False(provider.IsTransient);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task GetResponseAsync_DeepSeekJsonObjectMode_SendsJsonObjectWithSchemaInSystemPrompt()
    {
        await using var server = await FakeProviderServer.StartAsync(Path, Ct);
        server.Then(OpenAIWire.Json(OpenAIWire.Completion("{\"rootCause\":\"oom\"}")));
        var options = LlmTestPipelines.OpenAI(server.BaseUri);
        options.JsonMode = LlmJsonMode.JsonObject;
        using var factory = LlmTestPipelines.Factory(options);

        await factory.ChatClient.GetResponseAsync(LlmTestPipelines.Messages(), new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema(), "diagnosis") }, Ct);

        var request = server.LastRequest;
        Assert.Equal("json_object", (string?)request["response_format"]!["type"]);
        string system = string.Concat(request["messages"]!.AsArray().Where(m => (string?)m!["role"] is "system" or "developer").Select(m => (string?)m!["content"]));
        Assert.Contains("\"rootCause\"", system, StringComparison.Ordinal);
        Assert.Contains("JSON schema", system, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_SchemaMode_SendsJsonSchemaResponseFormat()
    {
        await using var server = await FakeProviderServer.StartAsync(Path, Ct);
        server.Then(OpenAIWire.Json(OpenAIWire.Completion("{\"rootCause\":\"oom\"}")));
        using var factory = LlmTestPipelines.Factory(LlmTestPipelines.OpenAI(server.BaseUri));

        await factory.ChatClient.GetResponseAsync(LlmTestPipelines.Messages(), new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema(), "diagnosis") }, Ct);

        var format = server.LastRequest["response_format"]!;
        Assert.Equal("json_schema", (string?)format["type"]);
        Assert.Equal("diagnosis", (string?)format["json_schema"]!["name"]);
    }

    [Fact]
    public async Task GetResponseAsync_DeepSeekBlankJsonContentThenJson_AsksAgain()
    {
        await using var server = await FakeProviderServer.StartAsync(Path, Ct);
        server.Then(OpenAIWire.Json(OpenAIWire.Completion("")))
            .Then(OpenAIWire.Json(OpenAIWire.Completion("  \n")))
            .Then(OpenAIWire.Json(OpenAIWire.Completion("{\"rootCause\":\"oom\"}")));
        var options = LlmTestPipelines.OpenAI(server.BaseUri);
        options.JsonMode = LlmJsonMode.JsonObject;
        using var factory = LlmTestPipelines.Factory(options);

        var response = await factory.ChatClient.GetResponseAsync(LlmTestPipelines.Messages(), new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema()) }, Ct);

        Assert.Equal("{\"rootCause\":\"oom\"}", response.Text);
        Assert.Equal(3, server.RequestCount);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_DeepSeekBlankJsonStreamThenJson_AsksAgain()
    {
        await using var server = await FakeProviderServer.StartAsync(Path, Ct);
        server.Then(OpenAIWire.Sse([OpenAIWire.Chunk("", role: true), OpenAIWire.Chunk(" "), OpenAIWire.Chunk(null, finishReason: "stop")]))
            .Then(OpenAIWire.Sse([OpenAIWire.Chunk("{\"rootCause\":", role: true), OpenAIWire.Chunk("\"oom\"}"), OpenAIWire.Chunk(null, finishReason: "stop")]));
        var options = LlmTestPipelines.OpenAI(server.BaseUri);
        options.JsonMode = LlmJsonMode.JsonObject;
        using var factory = LlmTestPipelines.Factory(options);

        var (text, _, _) = await LlmTestPipelines.CollectAsync(factory.ChatClient.GetStreamingResponseAsync(LlmTestPipelines.Messages(), new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema()) }, Ct));

        Assert.Equal("{\"rootCause\":\"oom\"}", text.Trim());
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_StreamStalledBeforeFirstChunk_TimesOutAndRetries()
    {
        await using var server = await FakeProviderServer.StartAsync(Path, Ct);
        // Keep-alive comments are not progress: the first stream only ever sends comments, then hangs.
        server.Then(OpenAIWire.Sse([": keep-alive", ": keep-alive"], done: false, stallAtEnd: TimeSpan.FromSeconds(30)))
            .Then(OpenAIWire.Sse([OpenAIWire.Chunk("fine", role: true), OpenAIWire.Chunk(null, finishReason: "stop")]));
        var options = LlmTestPipelines.OpenAI(server.BaseUri);
        options.StreamIdleTimeout = TimeSpan.FromMilliseconds(500);
        using var factory = LlmTestPipelines.Factory(options);
        var watch = Stopwatch.StartNew();

        var (text, _, _) = await LlmTestPipelines.CollectAsync(factory.ChatClient.GetStreamingResponseAsync(LlmTestPipelines.Messages(), cancellationToken: Ct));

        Assert.Equal("fine", text);
        Assert.Equal(2, server.RequestCount);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task GetStreamingResponseAsync_StreamStalledAfterFirstChunk_ThrowsStreamStalledTimeout()
    {
        await using var server = await FakeProviderServer.StartAsync(Path, Ct);
        server.Then(OpenAIWire.Sse([OpenAIWire.Chunk("partial ", role: true)], done: false, stallAtEnd: TimeSpan.FromSeconds(30)));
        var options = LlmTestPipelines.OpenAI(server.BaseUri);
        options.StreamIdleTimeout = TimeSpan.FromMilliseconds(500);
        using var factory = LlmTestPipelines.Factory(options);

        var ex = await Assert.ThrowsAsync<LlmTimeoutException>(() => LlmTestPipelines.CollectAsync(factory.ChatClient.GetStreamingResponseAsync(LlmTestPipelines.Messages(), cancellationToken: Ct)));

        Assert.True(ex.StreamStalled);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task GetResponseAsync_ServerSlowerThanRequestTimeout_ThrowsLlmTimeoutAfterAttempts()
    {
        await using var server = await FakeProviderServer.StartAsync(Path, Ct);
        server.Then(async (context, _) =>
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client hung up after its timeout.
            }
        });
        var options = LlmTestPipelines.OpenAI(server.BaseUri);
        options.RequestTimeout = TimeSpan.FromMilliseconds(400);
        options.StreamIdleTimeout = TimeSpan.FromMilliseconds(400);
        options.MaxAttempts = 2;
        using var factory = LlmTestPipelines.Factory(options);

        var ex = await Assert.ThrowsAsync<LlmTimeoutException>(() => factory.ChatClient.GetResponseAsync(LlmTestPipelines.Messages(), cancellationToken: Ct));

        Assert.False(ex.StreamStalled);
        Assert.Equal(2, server.RequestCount);
    }

    internal static JsonElement Schema()
    {
        using var document = JsonDocument.Parse("""
            {"type":"object","properties":{"rootCause":{"type":"string","maxLength":40},"confidence":{"type":"number","minimum":0,"maximum":1}},"required":["rootCause","confidence"]}
            """);
        return document.RootElement.Clone();
    }

    private static LlmProviderException FindProviderException(Exception ex)
    {
        for (Exception? current = ex; current is not null; current = current.InnerException)
        {
            if (current is LlmProviderException provider)
            {
                return provider;
            }
        }

        Assert.Fail($"No LlmProviderException in {ex}");
        throw new UnreachableException();
    }
}
