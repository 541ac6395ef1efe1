namespace ChasiSre.Cli.Tests;

/// <summary>
/// chDB opens one data path per process: every in-process ClickHouse of this test assembly (the actions API fixture,
/// <c>chasi run --embedded</c> hosts) lives under this one, each in a database of its own. The OS cleans the temp directory.
/// </summary>
internal static class ProcessChDb
{
    public static string DataPath { get; } = Directory.CreateTempSubdirectory("chasi-cli-tests-chdb-").FullName;
}
