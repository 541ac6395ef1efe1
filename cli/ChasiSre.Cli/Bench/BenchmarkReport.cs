namespace ChasiSre.Cli.Bench;

/// <summary>
/// What every <c>chasi bench</c> prints: the measured metrics, the baseline measured in the
/// same process and run, and their ratios (the number targets are set on).
/// </summary>
internal sealed record BenchmarkReport(
    string Name,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, double> Baseline,
    IReadOnlyDictionary<string, double> Ratios,
    IReadOnlyDictionary<string, string> Parameters);
