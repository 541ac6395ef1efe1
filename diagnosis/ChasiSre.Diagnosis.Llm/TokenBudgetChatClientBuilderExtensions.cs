using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.ML.Tokenizers;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>Adds <see cref="TokenBudgetChatClient"/> to a pipeline.</summary>
public static class TokenBudgetChatClientBuilderExtensions
{
    /// <summary>Drops expendable messages until the prompt fits <paramref name="maxInputTokens"/>; fails clearly when the required ones alone do not.</summary>
    public static ChatClientBuilder UseTokenBudget(this ChatClientBuilder builder, int maxInputTokens, int? defaultMaxOutputTokens = null, Tokenizer? tokenizer = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            loggerFactory ??= services.GetService<ILoggerFactory>();
            return new TokenBudgetChatClient(inner, maxInputTokens, defaultMaxOutputTokens, tokenizer, loggerFactory?.CreateLogger<TokenBudgetChatClient>());
        });
    }
}
