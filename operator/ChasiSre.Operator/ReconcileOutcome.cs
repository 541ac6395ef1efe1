using System.Text.Json.Nodes;

namespace ChasiSre.Operator;

/// <summary>
/// What one reconcile found: whether the spec is valid and whether what it asks for was applied, each with a reason (a
/// CamelCase word) and a message, plus kind-specific status fields. Written as the <c>Valid</c> and <c>Ready</c> conditions.
/// </summary>
public sealed record ReconcileOutcome(bool Valid, string ValidReason, string ValidMessage, bool Ready, string ReadyReason, string ReadyMessage)
{
    /// <summary>Kind-specific status fields (rules, documents, vclusters, ...).</summary>
    public JsonObject Status { get; init; } = [];

    public static ReconcileOutcome Invalid(string reason, string message) => new(false, reason, message, false, "InvalidSpec", "the spec is not valid; nothing was applied");
}
