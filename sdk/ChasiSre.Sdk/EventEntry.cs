namespace ChasiSre.Sdk;

/// <summary>A business event ("PaymentTimeouts", "ReleaseStarted").</summary>
/// <remarks><c>Id</c>: Stable id for deduplication; when empty the SDK derives one from the content.</remarks>
public sealed record EventEntry(string Id, DateTimeOffset At, BusinessEventType Type, string Reason, string Message)
{
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
}
