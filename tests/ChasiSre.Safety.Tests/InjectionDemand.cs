namespace ChasiSre.Safety.Tests;

/// <summary>An action the hostile text asks for: the action's name (catalog or not) and the target as the attacker named it.</summary>
public sealed record InjectionDemand(string Action, string Target);
