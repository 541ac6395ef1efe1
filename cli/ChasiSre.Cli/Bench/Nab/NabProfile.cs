namespace ChasiSre.Cli.Bench.Nab;

/// <summary>A NAB application profile: the weights of true positives, false positives and false negatives.</summary>
internal sealed record NabProfile(string Name, double TruePositiveWeight, double FalsePositiveWeight, double FalseNegativeWeight);
