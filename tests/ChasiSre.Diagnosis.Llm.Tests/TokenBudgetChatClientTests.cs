using Microsoft.Extensions.AI;

namespace ChasiSre.Diagnosis.Llm.Tests;

public sealed class TokenBudgetChatClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetResponseAsync_OverBudget_DropsMostExpendableMessagesFirst()
    {
        var inner = new RecordingChatClient();
        string filler = string.Join(' ', Enumerable.Repeat("kubelet event line", 40));
        ChatMessage[] messages =
        [
            new(ChatRole.System, "Diagnose the incident."),
            new ChatMessage(ChatRole.User, "metrics: " + filler).WithPriority(1),
            new ChatMessage(ChatRole.User, "knowledge: " + filler).WithPriority(3),
            new ChatMessage(ChatRole.User, "logs: " + filler).WithPriority(2),
            new(ChatRole.User, "subject: pod web-1 OOMKilled"),
        ];
        using var client = new TokenBudgetChatClient(inner, maxInputTokens: 300);
        int full = client.CountTokens(messages);

        await client.GetResponseAsync(messages, cancellationToken: Ct);

        var sent = Assert.Single(inner.Calls).Messages;
        Assert.True(full > 300, $"the test prompt must exceed the budget ({full})");
        Assert.DoesNotContain(sent, m => m.Text.StartsWith("knowledge:", StringComparison.Ordinal));
        Assert.DoesNotContain(sent, m => m.Text.StartsWith("logs:", StringComparison.Ordinal));
        Assert.Contains(sent, m => m.Text.StartsWith("metrics:", StringComparison.Ordinal));
        Assert.Contains(sent, m => m.Text.StartsWith("subject:", StringComparison.Ordinal));
        Assert.True(client.CountTokens(sent) <= 300);
    }

    [Fact]
    public async Task GetResponseAsync_RequiredContentOverBudget_ThrowsWithCounts()
    {
        var inner = new RecordingChatClient();
        using var client = new TokenBudgetChatClient(inner, maxInputTokens: 64);
        ChatMessage[] messages = [new(ChatRole.User, string.Join(' ', Enumerable.Repeat("required evidence", 100)))];

        var ex = await Assert.ThrowsAsync<LlmTokenBudgetExceededException>(() => client.GetResponseAsync(messages, cancellationToken: Ct));

        Assert.Equal(64, ex.Budget);
        Assert.True(ex.RequiredTokens > 64);
        Assert.Contains("MaxInputTokens", ex.Message, StringComparison.Ordinal);
        Assert.Empty(inner.Calls);
    }

    [Fact]
    public async Task GetResponseAsync_NoOutputLimit_SetsDefaultMaxOutputTokens()
    {
        var inner = new RecordingChatClient();
        using var client = new TokenBudgetChatClient(inner, maxInputTokens: 1000, defaultMaxOutputTokens: 321);

        await client.GetResponseAsync([new(ChatRole.User, "hi")], new ChatOptions { Temperature = 0.1f }, Ct);
        await client.GetResponseAsync([new(ChatRole.User, "hi")], new ChatOptions { MaxOutputTokens = 50 }, Ct);

        Assert.Equal([321, 50], inner.Calls.Select(c => c.Options?.MaxOutputTokens ?? 0));
    }

    [Fact]
    public void CountTokens_Cl100kBase_MatchesTiktokenForKnownText()
    {
        // "hello world" is 2 tokens in cl100k_base; plus the per-message overhead.
        using var client = new TokenBudgetChatClient(new RecordingChatClient(), maxInputTokens: 100);

        Assert.Equal(2 + TokenBudgetChatClient.PerMessageOverhead, client.CountTokens([new(ChatRole.User, "hello world")]));
    }
}
