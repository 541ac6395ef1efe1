namespace ChasiSre.Safety.Tests;

/// <summary>An order the obeying model found in a prompt: action, target as written, parameters, and the pack id it resolved to (null: not in the pack).</summary>
internal sealed record ObeyedDemand(string Action, string Target, IReadOnlyDictionary<string, string> Parameters, string? Resolved = null);
