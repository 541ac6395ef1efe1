using ChasiSre.TestKit;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace ChasiSre.Diagnosis.Llm.Tests;

/// <summary>Pipelines over the fake servers, built the way production builds them.</summary>
internal static class LlmTestPipelines
{
    public static LlmOptions OpenAI(Uri baseUri) => new()
    {
        Provider = LlmProvider.OpenAI,
        Endpoint = new Uri(baseUri, "v1/"),
        Model = OpenAIWire.Model,
        ApiKey = "sk-test-key",
        RequestTimeout = TimeSpan.FromSeconds(20),
        StreamIdleTimeout = TimeSpan.FromSeconds(10),
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        MaxRetryDelay = TimeSpan.FromSeconds(5),
        CacheDuration = TimeSpan.Zero,
        RequestsPerMinute = 0,
    };

    public static LlmOptions Ollama(Uri baseUri) => new()
    {
        Provider = LlmProvider.Ollama,
        Endpoint = baseUri,
        Model = "llama3.2",
        RequestTimeout = TimeSpan.FromSeconds(20),
        StreamIdleTimeout = TimeSpan.FromSeconds(10),
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        CacheDuration = TimeSpan.Zero,
        RequestsPerMinute = 0,
    };

    public static LlmPipelineFactory Factory(LlmOptions options, TimeProvider? timeProvider = null) =>
        new(Options.Create(options), loggerFactory: null, timeProvider);

    public static ChatMessage[] Messages(string user = "Pod web-1 was OOMKilled. Diagnose.") =>
    [
        new(ChatRole.System, "You are an SRE assistant."),
        new(ChatRole.User, user),
    ];

    public static async Task<(string Text, string Reasoning, ChatFinishReason? Finish)> CollectAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var text = new System.Text.StringBuilder();
        var reasoning = new System.Text.StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in updates)
        {
            foreach (var content in update.Contents)
            {
                switch (content)
                {
                    case TextContent t:
                        text.Append(t.Text);
                        break;
                    case TextReasoningContent r:
                        reasoning.Append(r.Text);
                        break;
                }
            }

            finish = update.FinishReason ?? finish;
        }

        return (text.ToString(), reasoning.ToString(), finish);
    }
}
