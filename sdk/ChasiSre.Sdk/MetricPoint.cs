namespace ChasiSre.Sdk;

/// <summary>One value of a business metric, for push mode (<c>chasi.metrics.v1</c>).</summary>
public sealed record MetricPoint(string Name, double Value)
{
    /// <summary>UCUM-style unit ("s", "{order}", "%").</summary>
    public string Unit { get; init; } = "";

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
