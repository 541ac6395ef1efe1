namespace ChasiSre.Sdk;

/// <summary>The closed result of running a runbook.</summary>
public sealed record RunbookResult(RunbookResultKind Kind, string Message)
{
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = new Dictionary<string, string>();

    public static RunbookResult Succeeded(string message, IReadOnlyDictionary<string, string>? outputs = null) =>
        new(RunbookResultKind.Succeeded, message) { Outputs = outputs ?? new Dictionary<string, string>() };

    public static RunbookResult Failed(string message) => new(RunbookResultKind.Failed, message);

    public static RunbookResult Rejected(string message) => new(RunbookResultKind.Rejected, message);

    public static RunbookResult UnknownRunbook(string runbookId) => new(RunbookResultKind.UnknownRunbook, $"no runbook '{runbookId}'");

    public static RunbookResult NotSupported() => new(RunbookResultKind.NotSupported, "this adapter executes no runbooks");
}
