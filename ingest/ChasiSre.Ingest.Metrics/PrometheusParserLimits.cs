namespace ChasiSre.Ingest.Metrics;

/// <summary>Hard limits of one parse: input beyond them fails the whole scrape with a <see cref="PrometheusFormatException"/>.</summary>
public sealed record PrometheusParserLimits
{
    /// <summary>Largest body, in bytes.</summary>
    public long MaxBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Longest line, in bytes (without its newline).</summary>
    public int MaxLineBytes { get; init; } = 64 * 1024;

    /// <summary>Most samples (series).</summary>
    public int MaxSeries { get; init; } = 50_000;

    /// <summary>Most labels on one sample.</summary>
    public int MaxLabels { get; init; } = 64;

    /// <summary>Longest label name, in characters.</summary>
    public int MaxLabelNameLength { get; init; } = 128;

    /// <summary>Longest label value, in characters.</summary>
    public int MaxLabelValueLength { get; init; } = 2048;
}
