using System.Threading.RateLimiting;
using ChasiSre.TestKit;
using Microsoft.AspNetCore.Http;

namespace ChasiSre.Diagnosis.Llm.Tests;

public sealed class RateLimitingChatClientTests
{
    private const string Path = "/v1/chat/completions";

    [Fact]
    public async Task GetResponseAsync_ConcurrencyOne_ProviderNeverSeesTwoRequestsAtOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeProviderServer.StartAsync(Path, ct);
        server.Then(async (HttpContext context, string body) =>
        {
            await Task.Delay(100, context.RequestAborted);
            await OpenAIWire.Json(OpenAIWire.Completion("ok"))(context, body);
        });
        var options = LlmTestPipelines.OpenAI(server.BaseUri);
        options.MaxConcurrentRequests = 1;
        using var factory = LlmTestPipelines.Factory(options);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => factory.ChatClient.GetResponseAsync(LlmTestPipelines.Messages($"incident {i}"), cancellationToken: ct)));

        Assert.Equal(4, server.RequestCount);
        Assert.Equal(1, server.MaxInFlight);
    }

    [Fact]
    public async Task GetResponseAsync_QueueFull_ThrowsRejected()
    {
        var ct = TestContext.Current.CancellationToken;
        using var limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = 1, QueueLimit = 0 });
        using var held = await limiter.AcquireAsync(1, ct);
        using var client = new RateLimitingChatClient(new RecordingChatClient(), limiter);

        await Assert.ThrowsAsync<LlmRateLimitRejectedException>(() => client.GetResponseAsync(LlmTestPipelines.Messages(), cancellationToken: ct));
    }
}
