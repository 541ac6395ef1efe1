namespace ChasiSre.Sdk;

/// <summary>A request to run a runbook.</summary>
/// <remarks><c>RequestId</c>: Idempotency key (the action's id): a repeated request must not run twice.</remarks>
public sealed record RunbookRequest(string RunbookId, IReadOnlyDictionary<string, string> Parameters, string RequestId);
