using ChasiSre.TestKit;

namespace ChasiSre.Streams.Scenarios.Tests;

/// <summary>The scenario directories the judge runs: every directory of the public corpus (<c>tests/scenarios</c>, copied
/// next to the test binaries) and the three shared examples of FORMAT.md.</summary>
internal static class ScenarioCorpus
{
    public static readonly IReadOnlyList<string> SharedExampleNames = ["crashloop-missing-env", "host-quota-rejects-twin", "node-disk-pressure-evictions"];

    /// <summary>The corpus directory next to the test binaries.</summary>
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "scenarios");

    /// <summary>The pending scenarios (known wrong today, not judged) next to the test binaries.</summary>
    public static string PendingDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "scenarios-pending");

    /// <summary>Corpus scenario names (directory names), ordered.</summary>
    public static IReadOnlyList<string> CorpusNames() => Names(Directory);

    /// <summary>Pending scenario names (paths below the pending directory, e.g. <c>holmesgpt/10-x</c>), ordered; none
    /// when nothing is pending (the directory then holds no YAML and is not copied).</summary>
    public static IReadOnlyList<string> PendingNames() =>
        !System.IO.Directory.Exists(PendingDirectory)
            ? []
            : [.. System.IO.Directory.EnumerateFiles(PendingDirectory, "scenario.yaml", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(PendingDirectory, Path.GetDirectoryName(f)!).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)];

    private static IReadOnlyList<string> Names(string root) =>
        [.. System.IO.Directory.EnumerateDirectories(root)
            .Where(d => File.Exists(Path.Combine(d, "scenario.yaml")))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)];

    /// <summary>The directory of a row: <c>examples/NAME</c> for a shared example, NAME for the corpus.</summary>
    public static string Locate(string row) =>
        row.StartsWith(ExamplePrefix, StringComparison.Ordinal)
            ? SharedExamples.Example(row[ExamplePrefix.Length..])
            : Path.Combine(Directory, row);

    public const string ExamplePrefix = "examples/";
}
