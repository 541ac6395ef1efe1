using System.Text.Json;

namespace ChasiSre.Sdk.Testing;

/// <summary>The outcome of a conformance run: passed when no check failed.</summary>
public sealed record ConformanceReport(string Target, AdapterTransport Transport, bool Passed, IReadOnlyList<ConformanceCheck> Checks)
{
    public int Failed => Checks.Count(c => c.Status == CheckStatus.Fail);

    /// <summary>The check with <paramref name="id"/>; throws when there is none.</summary>
    public ConformanceCheck this[string id] => Checks.FirstOrDefault(c => c.Id == id) ?? throw new KeyNotFoundException($"no check '{id}'");

    /// <summary>Compact JSON (snake_case), what <c>chasi adapter check --format json</c> prints.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ConformanceJsonContext.Default.ConformanceReport);
}
