using Microsoft.Extensions.Logging;

namespace ChasiSre.Sdk;

/// <summary>One log line of the business system.</summary>
public sealed record LogEntry(DateTimeOffset At, LogLevel Level, string Message)
{
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
}
