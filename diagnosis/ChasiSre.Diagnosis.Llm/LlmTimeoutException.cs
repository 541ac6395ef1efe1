namespace ChasiSre.Diagnosis.Llm;

/// <summary>An attempt ran past <see cref="LlmOptions.RequestTimeout"/>, or a stream fell silent for longer than <see cref="LlmOptions.StreamIdleTimeout"/>.</summary>
public sealed class LlmTimeoutException : TimeoutException
{
    public LlmTimeoutException()
    {
    }

    public LlmTimeoutException(string message)
        : base(message)
    {
    }

    public LlmTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public LlmTimeoutException(string message, Exception innerException, bool streamStalled)
        : base(message, innerException)
    {
        StreamStalled = streamStalled;
    }

    /// <summary>True when the stream stalled between chunks rather than the whole attempt running long.</summary>
    public bool StreamStalled { get; }
}
