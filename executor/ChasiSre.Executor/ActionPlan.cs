using System.Text.Json.Nodes;

namespace ChasiSre.Executor;

/// <summary>
/// One change an action makes, computed from the current object: the write, the object as it is now (for the diff),
/// and what a rollback needs once the write succeeded (null for irreversible actions).
/// </summary>
internal sealed record ActionPlan(KubeWrite Write, JsonObject? Before, Func<JsonObject?, JsonObject?>? RollbackState, string Label);
