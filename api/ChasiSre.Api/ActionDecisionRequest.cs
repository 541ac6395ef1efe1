namespace ChasiSre.Api;

/// <summary>The optional body of <c>POST /api/v1/actions/{id}/approve|reject|rollback</c>.</summary>
/// <param name="Reason">Why, in a person's words (at most 1 KiB of UTF-8); recorded in the audit trail.</param>
public sealed record ActionDecisionRequest(string? Reason);
