namespace ChasiSre.Cli.Bench.Nab;

/// <summary>One NAB series with its labelled windows as inclusive row ranges.</summary>
internal sealed record NabDataFile(string Category, string RelativePath, double[] Values, IReadOnlyList<(int Start, int End)> Windows);
