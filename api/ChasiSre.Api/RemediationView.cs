namespace ChasiSre.Api;

/// <summary>A remediation step of a diagnosis; <see cref="Action"/> is empty for advice to a human.</summary>
/// <param name="Risk"><c>low</c>, <c>medium</c>, <c>high</c> or <c>unspecified</c>.</param>
public sealed record RemediationView(
    string Id,
    string Title,
    string Description,
    string Action,
    ObjectRefView? Target,
    IReadOnlyDictionary<string, string> Parameters,
    string Risk);
