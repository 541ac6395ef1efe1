namespace ChasiSre.Sdk;

/// <summary>A runbook: what to do when something goes wrong, written by the business team.</summary>
/// <remarks><c>Body</c>: Markdown.</remarks>
public sealed record RunbookInfo(string Id, string Title, string Body)
{
    public IReadOnlyList<string> Tags { get; init; } = [];
}
