namespace ChasiSre.Executor.Tests;

/// <summary>One row of the policy table: the request, and the decision, rule and reason codes it must get.</summary>
internal sealed record PolicyCase(ActionRequest Request, ActionDecision Decision, string? Rule, string[] Codes);
