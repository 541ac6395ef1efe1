using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Diagnosis.Knowledge.Tests;

/// <summary>The remote embeddings generator against a Kestrel server speaking the OpenAI and Ollama wire formats.</summary>
public sealed class HttpEmbeddingGeneratorTests
{
    /// <summary>A deterministic embedding of a text: counts of a few letters, so tests can compute expectations.</summary>
    private static float[] Embed(string text) => [text.Count(c => c == 'a'), text.Count(c => c == 'e'), text.Length];

    private static async Task<(WebApplication App, Uri Address, List<JsonNode> Requests)> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var requests = new List<JsonNode>();
        app.MapPost("/v1/embeddings", async (HttpContext context) =>
        {
            var body = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))!;
            body["authorization"] = context.Request.Headers.Authorization.ToString();
            lock (requests)
            {
                requests.Add(body);
            }

            if (body["model"]!.GetValue<string>() == "missing")
            {
                context.Response.StatusCode = 404;
                await context.Response.WriteAsync("""{"error":{"message":"model not found"}}""", context.RequestAborted);
                return;
            }

            var inputs = body["input"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
            // Answer in reverse order: clients must sort by index.
            var data = new JsonArray(inputs.Select((t, i) => (JsonNode)new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = new JsonArray(Embed(t).Select(v => (JsonNode)v).ToArray()) }).Reverse().ToArray());
            await context.Response.WriteAsJsonAsync(new JsonObject { ["object"] = "list", ["data"] = data, ["model"] = body["model"]!.GetValue<string>(), ["usage"] = new JsonObject { ["prompt_tokens"] = 3, ["total_tokens"] = 3 } }, context.RequestAborted);
        });
        app.MapPost("/api/embed", async (HttpContext context) =>
        {
            var body = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))!;
            lock (requests)
            {
                requests.Add(body);
            }

            var inputs = body["input"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
            await context.Response.WriteAsJsonAsync(new JsonObject { ["model"] = body["model"]!.GetValue<string>(), ["embeddings"] = new JsonArray(inputs.Select(t => (JsonNode)new JsonArray(Embed(t).Select(v => (JsonNode)v).ToArray())).ToArray()) }, context.RequestAborted);
        });
        await app.StartAsync(cancellationToken);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return (app, address, requests);
    }

    [Fact]
    public async Task GenerateAsync_OpenAiEndpoint_SendsBatchesWithBearerAndOrdersByIndex()
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, address, requests) = await StartAsync(ct);
        await using var _ = app;
        using var generator = new HttpEmbeddingGenerator(new EmbeddingEndpointOptions { Endpoint = address, Model = "text-embedding-3-small", ApiKey = "sk-test", BatchSize = 2 });

        var embeddings = await generator.GenerateAsync(["aaa", "ee", "a e"], cancellationToken: ct);

        Assert.Equal([[3f, 0, 3], [0, 2, 2], [1, 1, 3]], embeddings.Select(e => e.Vector.ToArray()));
        Assert.Equal(2, requests.Count);
        Assert.Equal("Bearer sk-test", requests[0]["authorization"]!.GetValue<string>());
        Assert.Equal("float", requests[0]["encoding_format"]!.GetValue<string>());
        Assert.Equal(["aaa", "ee"], requests[0]["input"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(new Uri(address, "v1/embeddings"), generator.RequestUri);
        Assert.Equal("text-embedding-3-small", generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelId);
    }

    [Fact]
    public async Task GenerateAsync_OllamaEndpoint_UsesApiEmbed()
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, address, requests) = await StartAsync(ct);
        await using var _ = app;
        using var generator = new HttpEmbeddingGenerator(new EmbeddingEndpointOptions { Endpoint = address, Model = "nomic-embed-text", Protocol = EmbeddingProtocol.Ollama });

        var embeddings = await generator.GenerateAsync(["ae", "eee"], cancellationToken: ct);

        Assert.Equal([[1f, 1, 2], [0, 3, 3]], embeddings.Select(e => e.Vector.ToArray()));
        Assert.Equal("nomic-embed-text", Assert.Single(requests)["model"]!.GetValue<string>());
        Assert.Null(requests[0]["encoding_format"]);
    }

    [Fact]
    public async Task GenerateAsync_ErrorStatus_ThrowsWithStatusAndBody()
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, address, _) = await StartAsync(ct);
        await using var __ = app;
        using var generator = new HttpEmbeddingGenerator(new EmbeddingEndpointOptions { Endpoint = address, Model = "missing" });

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => generator.GenerateAsync(["x"], cancellationToken: ct));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("model not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KnowledgeBase_WithEndpointEmbeddings_IndexesAndSearches()
    {
        var ct = TestContext.Current.CancellationToken;
        var (app, address, _) = await StartAsync(ct);
        await using var _ = app;
        using var generator = new HttpEmbeddingGenerator(new EmbeddingEndpointOptions { Endpoint = address, Model = "m", Dimensions = 3 });
        await using var kb = await KnowledgeBase.OpenAsync(new KnowledgeBaseOptions(), generator, cancellationToken: ct);

        await kb.UpsertAsync(new KnowledgeDocument("a.md", "# A\n\naaaa aaaa"), ct);
        await kb.UpsertAsync(new KnowledgeDocument("e.md", "# E\n\neeee eeee"), ct);
        var hits = await kb.SearchAsync(new KnowledgeQuery("aaaaaa", Mode: RetrievalMode.Vector, Top: 1), ct);

        Assert.Equal("a.md#a", Assert.Single(hits).Chunk.Citation);
    }

    [Fact]
    public void Constructor_MissingEndpoint_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new HttpEmbeddingGenerator(new EmbeddingEndpointOptions { Model = "m" }));

        Assert.Contains(nameof(EmbeddingEndpointOptions.Endpoint), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Request_Serialization_MatchesOpenAiField_Names()
    {
        var json = JsonSerializer.Serialize(new OpenAiEmbeddingRequest("m", ["x"], "float", null), EmbeddingWireJsonContext.Default.OpenAiEmbeddingRequest);

        Assert.Equal("""{"model":"m","input":["x"],"encoding_format":"float"}""", json);
    }
}
