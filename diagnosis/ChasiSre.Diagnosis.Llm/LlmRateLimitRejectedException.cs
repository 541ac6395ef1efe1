namespace ChasiSre.Diagnosis.Llm;

/// <summary>The rate limiter's queue was full: the request was not sent.</summary>
public sealed class LlmRateLimitRejectedException : InvalidOperationException
{
    public LlmRateLimitRejectedException()
        : base("The LLM rate limiter rejected the request (queue full).")
    {
    }

    public LlmRateLimitRejectedException(string message)
        : base(message)
    {
    }

    public LlmRateLimitRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
