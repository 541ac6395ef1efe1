namespace ChasiSre.Diagnosis.Llm;

/// <summary>Even after dropping every optional message, the prompt does not fit the token budget.</summary>
public sealed class LlmTokenBudgetExceededException : InvalidOperationException
{
    public LlmTokenBudgetExceededException()
    {
    }

    public LlmTokenBudgetExceededException(string message)
        : base(message)
    {
    }

    public LlmTokenBudgetExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public LlmTokenBudgetExceededException(int requiredTokens, int budget)
        : base($"The prompt needs {requiredTokens} tokens without any optional content, over the budget of {budget}; shorten the required messages or raise {LlmOptions.SectionName}:MaxInputTokens.")
    {
        RequiredTokens = requiredTokens;
        Budget = budget;
    }

    /// <summary>Tokens of the messages that cannot be dropped.</summary>
    public int RequiredTokens { get; }

    /// <summary>The budget in force.</summary>
    public int Budget { get; }
}
