namespace ChasiSre.Sdk.Testing;

/// <summary>One check: <paramref name="Id"/> such as <c>logs.schema</c>, what was found, and the call's duration.</summary>
public sealed record ConformanceCheck(string Id, string Operation, CheckStatus Status, string Detail, double DurationMs);
