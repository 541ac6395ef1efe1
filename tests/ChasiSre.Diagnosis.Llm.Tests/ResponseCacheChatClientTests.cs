using System.Text.Json.Nodes;
using ChasiSre.TestKit;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace ChasiSre.Diagnosis.Llm.Tests;

public sealed class ResponseCacheChatClientTests
{
    private const string Path = "/v1/chat/completions";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetResponseAsync_SamePromptTwice_SecondServedFromCacheOverTheWire()
    {
        await using var server = await FakeProviderServer.StartAsync(Path, Ct);
        server.Then(OpenAIWire.Json(OpenAIWire.Completion("cached answer")));
        var options = LlmTestPipelines.OpenAI(server.BaseUri);
        options.CacheDuration = TimeSpan.FromMinutes(5);
        using var factory = LlmTestPipelines.Factory(options);

        var first = await factory.ChatClient.GetResponseAsync(LlmTestPipelines.Messages(), new ChatOptions { Temperature = 0.2f }, Ct);
        var second = await factory.ChatClient.GetResponseAsync(LlmTestPipelines.Messages(), new ChatOptions { Temperature = 0.2f }, Ct);
        var otherTemperature = await factory.ChatClient.GetResponseAsync(LlmTestPipelines.Messages(), new ChatOptions { Temperature = 0.9f }, Ct);
        var otherPrompt = await factory.ChatClient.GetResponseAsync(LlmTestPipelines.Messages("Pod web-2 crashed."), new ChatOptions { Temperature = 0.2f }, Ct);

        Assert.All([first, second, otherTemperature, otherPrompt], r => Assert.Equal("cached answer", r.Text));
        Assert.Equal(3, server.RequestCount);
        Assert.Equal(0.9, (double?)JsonNode.Parse(server.RequestBodies.ElementAt(1))!["temperature"] ?? 0, 3);
    }

    [Fact]
    public async Task GetResponseAsync_EntryExpired_AsksAgain()
    {
        var time = new FakeTimeProvider();
        var inner = new RecordingChatClient();
        using var client = new ResponseCacheChatClient(inner, TimeSpan.FromMinutes(10), maxEntries: 8, time);

        await client.GetResponseAsync([new(ChatRole.User, "q")], cancellationToken: Ct);
        await client.GetResponseAsync([new(ChatRole.User, "q")], cancellationToken: Ct);
        time.Advance(TimeSpan.FromMinutes(11));
        await client.GetResponseAsync([new(ChatRole.User, "q")], cancellationToken: Ct);

        Assert.Equal(2, inner.Calls.Count);
    }

    [Fact]
    public async Task GetResponseAsync_DifferentModelId_DifferentEntry()
    {
        var inner = new RecordingChatClient();
        using var client = new ResponseCacheChatClient(inner, TimeSpan.FromMinutes(10), maxEntries: 8);

        await client.GetResponseAsync([new(ChatRole.User, "q")], new ChatOptions { ModelId = "a" }, Ct);
        await client.GetResponseAsync([new(ChatRole.User, "q")], new ChatOptions { ModelId = "b" }, Ct);
        await client.GetResponseAsync([new(ChatRole.User, "q")], new ChatOptions { ModelId = "a" }, Ct);

        Assert.Equal(2, inner.Calls.Count);
    }

    [Fact]
    public async Task GetResponseAsync_MoreEntriesThanMax_StoreStaysBounded()
    {
        var time = new FakeTimeProvider();
        var inner = new RecordingChatClient();
        using var client = new ResponseCacheChatClient(inner, TimeSpan.FromMinutes(10), maxEntries: 3, time);

        for (int i = 0; i < 6; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await client.GetResponseAsync([new(ChatRole.User, $"q{i}")], cancellationToken: Ct);
        }

        Assert.Equal(3, client.Count);
    }
}
