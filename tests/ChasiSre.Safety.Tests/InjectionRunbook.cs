namespace ChasiSre.Safety.Tests;

/// <summary>A hostile runbook of the corpus: its file under <c>corpus/</c> and the tenant that published it (null: shared).</summary>
public sealed record InjectionRunbook(string File, string? Tenant);
