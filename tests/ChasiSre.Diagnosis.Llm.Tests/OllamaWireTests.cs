using System.Text;
using System.Text.Json.Nodes;
using ChasiSre.TestKit;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;

namespace ChasiSre.Diagnosis.Llm.Tests;

/// <summary>
/// The Ollama path on the wire: OllamaSharp through the whole pipeline against a Kestrel server
/// answering <c>POST /api/chat</c> as the Ollama API reference documents it (one JSON object, or
/// NDJSON lines ending with <c>"done": true</c> and the timing/count fields when streaming).
/// </summary>
public sealed class OllamaWireTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetResponseAsync_OllamaReferenceChat_SendsSchemaAsStructuredFormat()
    {
        await using var server = await FakeProviderServer.StartAsync("/api/chat", Ct);
        server.Then(OllamaReferenceAnswer(["{\"rootCause\":", "\"oom\",\"confidence\":0.9}"]));
        using var factory = LlmTestPipelines.Factory(LlmTestPipelines.Ollama(server.BaseUri));

        var response = await factory.ChatClient.GetResponseAsync(
            LlmTestPipelines.Messages(),
            new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(OpenAICompatibleWireTests.Schema(), "diagnosis"), Temperature = 0.1f },
            Ct);

        Assert.Equal("{\"rootCause\":\"oom\",\"confidence\":0.9}", response.Text);
        var request = server.LastRequest;
        Assert.Equal("llama3.2", (string?)request["model"]);
        var format = Assert.IsType<JsonObject>(request["format"]);
        Assert.Equal("object", (string?)format["type"]);
        Assert.NotNull(format["properties"]!["rootCause"]);
        Assert.Equal(26, response.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_OllamaReferenceNdjson_ReturnsWholeText()
    {
        await using var server = await FakeProviderServer.StartAsync("/api/chat", Ct);
        server.Then(OllamaReferenceAnswer(["The pod ", "ran out ", "of memory."]));
        using var factory = LlmTestPipelines.Factory(LlmTestPipelines.Ollama(server.BaseUri));

        var (text, _, finish) = await LlmTestPipelines.CollectAsync(factory.ChatClient.GetStreamingResponseAsync(LlmTestPipelines.Messages(), cancellationToken: Ct));

        Assert.Equal("The pod ran out of memory.", text);
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotEqual(false, (bool?)server.LastRequest["stream"]);
    }

    [Fact]
    public async Task GetResponseAsync_Ollama503ThenAnswer_Retries()
    {
        await using var server = await FakeProviderServer.StartAsync("/api/chat", Ct);
        server.Then(OpenAIWire.Text(503, "application/json", """{"error":"server busy, please try again.  maximum pending requests exceeded"}"""))
            .Then(OllamaReferenceAnswer(["ok"]));
        using var factory = LlmTestPipelines.Factory(LlmTestPipelines.Ollama(server.BaseUri));

        var response = await factory.ChatClient.GetResponseAsync(LlmTestPipelines.Messages(), cancellationToken: Ct);

        Assert.Equal("ok", response.Text);
        Assert.Equal(2, server.RequestCount);
    }

    /// <summary>Answers as Ollama does: NDJSON when the request streams (the default), else one object.</summary>
    private static Func<HttpContext, string, Task> OllamaReferenceAnswer(string[] pieces) => async (context, body) =>
    {
        bool stream = (bool?)JsonNode.Parse(body)!["stream"] ?? true;
        context.Response.StatusCode = 200;
        var done = new JsonObject
        {
            ["model"] = "llama3.2",
            ["created_at"] = "2023-08-04T19:22:45.499127Z",
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = stream ? string.Empty : string.Concat(pieces) },
            ["done"] = true,
            ["done_reason"] = "stop",
            ["total_duration"] = 4_883_583_458L,
            ["load_duration"] = 1_334_875L,
            ["prompt_eval_count"] = 26,
            ["prompt_eval_duration"] = 342_546_000L,
            ["eval_count"] = 282,
            ["eval_duration"] = 4_535_599_000L,
        };
        if (!stream)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(done.ToJsonString(), context.RequestAborted);
            return;
        }

        context.Response.ContentType = "application/x-ndjson";
        foreach (var piece in pieces)
        {
            var line = new JsonObject
            {
                ["model"] = "llama3.2",
                ["created_at"] = "2023-08-04T08:52:19.385406455-07:00",
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = piece },
                ["done"] = false,
            };
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line.ToJsonString() + "\n"), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }

        await context.Response.WriteAsync(done.ToJsonString() + "\n", context.RequestAborted);
    };
}
