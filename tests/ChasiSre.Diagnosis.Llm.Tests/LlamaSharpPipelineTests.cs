using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChasiSre.Diagnosis.Llm.Tests;

/// <summary>
/// End to end through AddChasiLlm with Provider = LlamaSharp: the whole middleware stack over real
/// llama.cpp inference on the tiny random-weight GGUF. The text is gibberish, but the GBNF grammar
/// compiled from the schema makes it valid JSON for the schema.
/// </summary>
public sealed class LlamaSharpPipelineTests(TinyModelFixture model)
{
    private const string Schema = """
        {
          "type": "object",
          "properties": {
            "rootCause": { "type": "string", "maxLength": 40 },
            "layer": { "type": "string", "enum": ["host", "vcluster", "app"] },
            "confidence": { "type": "number", "minimum": 0, "maximum": 1 },
            "evidenceIds": { "type": "array", "items": { "type": "string", "maxLength": 8 }, "maxItems": 3 }
          },
          "required": ["rootCause", "layer", "confidence", "evidenceIds"]
        }
        """;

    private static readonly string[] Layers = ["host", "vcluster", "app"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponseAsync_TinyGgufThroughWholePipeline_ReturnsSchemaValidJson(bool streaming)
    {
        var ct = TestContext.Current.CancellationToken;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Diagnosis:Llm:Provider"] = "LlamaSharp",
            ["Diagnosis:Llm:ModelPath"] = model.ModelPath,
            ["Diagnosis:Llm:Model"] = "tiny-llama",
            ["Diagnosis:Llm:ContextSize"] = "1024",
            ["Diagnosis:Llm:Threads"] = "2",
            ["Diagnosis:Llm:MaxOutputTokens"] = "600",
            ["Diagnosis:Llm:MaxInputTokens"] = "400",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddChasiLlm().BindConfiguration(LlmOptions.SectionName);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IChatClient>();
        using var schema = JsonDocument.Parse(Schema);
        var options = new RedactionContext().Add(RedactionKind.Tenant, "acme-bank").Add(RedactionKind.Pod, "web-1")
            .ApplyTo(new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema.RootElement.Clone(), "diagnosis"), Seed = 11 });
        ChatMessage[] messages =
        [
            new(ChatRole.System, "You are an SRE assistant. Answer in JSON."),
            new(ChatRole.User, "[E1] Pod web-1 of tenant acme-bank OOMKilled at 10.1.2.3, password=hunter2"),
        ];

        string text = streaming
            ? (await LlamaSharpStream(client, messages, options, ct))
            : (await client.GetResponseAsync(messages, options, ct)).Text;

        TestContext.Current.TestOutputHelper?.WriteLine(text);
        using var answer = JsonDocument.Parse(text);
        var root = answer.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.True(CodePoints(root.GetProperty("rootCause")) <= 40);
        Assert.Contains(root.GetProperty("layer").GetString(), Layers);
        double confidence = root.GetProperty("confidence").GetDouble();
        Assert.InRange(confidence, 0, 1);
        var ids = root.GetProperty("evidenceIds");
        Assert.True(ids.GetArrayLength() <= 3);
        Assert.All(ids.EnumerateArray(), id => Assert.True(CodePoints(id) <= 8, id.GetString()));
    }

    /// <summary>The schema's maxLength counts characters (code points), not UTF-16 units.</summary>
    private static int CodePoints(JsonElement value) => value.GetString()!.EnumerateRunes().Count();

    private static async Task<string> LlamaSharpStream(IChatClient client, ChatMessage[] messages, ChatOptions options, CancellationToken ct)
    {
        var (text, _, finish) = await LlmTestPipelines.CollectAsync(client.GetStreamingResponseAsync(messages, options, ct));
        Assert.Equal(ChatFinishReason.Stop, finish);
        return text;
    }
}
