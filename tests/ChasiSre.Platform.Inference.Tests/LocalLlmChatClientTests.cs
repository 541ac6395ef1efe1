using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace ChasiSre.Platform.Inference.Tests;

public sealed class LocalLlmChatClientTests(TinyModelFixture model)
{
    private static readonly ChatMessage[] Messages =
    [
        new(ChatRole.System, "You are an SRE assistant."),
        new(ChatRole.User, "Pod web-1 was OOMKilled. Summarize."),
    ];

    [Theory]
    [InlineData(21L)]
    [InlineData(22L)]
    [InlineData(23L)]
    public async Task GetResponseAsync_JsonSchemaFormat_ReturnsValidJson(long seed)
    {
        using var client = new LocalLlmChatClient(model.Llm);
        var options = new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema(), "incident"), Seed = seed };

        var response = await client.GetResponseAsync(Messages, options, TestContext.Current.CancellationToken);

        Assert.Empty(JsonSchemaCheck.Validate(response.Text, TestSchemas.IncidentSummary));
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("tiny-llama", response.ModelId);
        Assert.NotNull(response.Usage);
        Assert.True(response.Usage.InputTokenCount > 0);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_SameSeed_SameTextAsGetResponse()
    {
        using var client = new LocalLlmChatClient(model.Llm);
        var options = new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema()), Seed = 31 };
        var streamed = new StringBuilder();
        ChatFinishReason? finish = null;

        var whole = await client.GetResponseAsync(Messages, options, TestContext.Current.CancellationToken);
        await foreach (var update in client.GetStreamingResponseAsync(Messages, options, TestContext.Current.CancellationToken))
        {
            streamed.Append(update.Text);
            finish = update.FinishReason ?? finish;
        }

        Assert.Equal(whole.Text, streamed.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
    }

    [Fact]
    public async Task GetResponseAsync_OutputBudgetTooSmall_FinishesWithLength()
    {
        using var client = new LocalLlmChatClient(model.Llm);
        var options = new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema()), MaxOutputTokens = 4 };

        var response = await client.GetResponseAsync(Messages, options, TestContext.Current.CancellationToken);

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
    }

    [Fact]
    public async Task GetResponseAsync_RawGrammarProperty_IsFollowed()
    {
        using var client = new LocalLlmChatClient(model.Llm);
        var options = new ChatOptions { AdditionalProperties = new() { [LocalLlmChatClient.GrammarPropertyName] = new GbnfGrammar("root ::= (\"yes\" | \"no\")") } };

        var response = await client.GetResponseAsync(Messages, options, TestContext.Current.CancellationToken);

        Assert.True(response.Text is "yes" or "no", response.Text);
    }

    [Fact]
    public async Task GetResponseAsync_JsonWithoutSchema_NotSupported()
    {
        using var client = new LocalLlmChatClient(model.Llm);

        await Assert.ThrowsAsync<NotSupportedException>(() =>
            client.GetResponseAsync(Messages, new ChatOptions { ResponseFormat = ChatResponseFormat.Json }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task GetResponseAsync_InvalidSchema_ThrowsInvalidJsonSchema()
    {
        using var client = new LocalLlmChatClient(model.Llm);
        using var schema = JsonDocument.Parse("""{"type":"string","pattern":"x"}""");

        await Assert.ThrowsAsync<InvalidJsonSchemaException>(() =>
            client.GetResponseAsync(Messages, new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema.RootElement.Clone()) }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void GetService_Metadata_NamesProviderAndModel()
    {
        using IChatClient client = new LocalLlmChatClient(model.Llm);

        var metadata = client.GetService<ChatClientMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal("llama.cpp", metadata.ProviderName);
        Assert.Equal("tiny-llama", metadata.DefaultModelId);
        Assert.Same(model.Llm, client.GetService<LocalLlm>());
    }

    private static JsonElement Schema()
    {
        using var document = JsonDocument.Parse(TestSchemas.IncidentSummary);
        return document.RootElement.Clone();
    }
}
