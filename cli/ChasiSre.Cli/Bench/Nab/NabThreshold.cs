namespace ChasiSre.Cli.Bench.Nab;

/// <summary>The corpus-wide threshold NAB's optimiser picked for one detector and profile, and the raw score it gives.</summary>
internal sealed record NabThreshold(double Threshold, double Score);
