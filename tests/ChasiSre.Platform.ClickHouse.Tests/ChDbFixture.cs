using ChasiSre.Platform.ClickHouse;
using ChasiSre.Platform.ClickHouse.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

[assembly: AssemblyFixture(typeof(ChDbFixture))]

namespace ChasiSre.Platform.ClickHouse.Tests;

/// <summary>
/// Starts the real chDB engine once for the test assembly on a per-process data directory. chDB runs
/// one data path per process, so tests share the engine and isolate themselves with unique databases.
/// Fails (does not skip) when libchdb.so is missing.
/// </summary>
public sealed class ChDbFixture : IAsyncLifetime
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "chasisre-clickhouse-tests");
    private readonly List<string> _databases = [];
    private readonly Lock _gate = new();

    public string DataPath { get; } = Path.Combine(Root, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public string LibraryPath { get; private set; } = "";

    public ChDbStore Store { get; private set; } = null!;

    public ClickHouseOptions Options(int insertBatchSize = ClickHouseOptions.DefaultInsertBatchSize) =>
        new() { Backend = ClickHouseBackend.Embedded, EmbeddedDataPath = DataPath, InsertBatchSize = insertBatchSize };

    public ChDbStore CreateStore(int insertBatchSize = ClickHouseOptions.DefaultInsertBatchSize) =>
        new(Microsoft.Extensions.Options.Options.Create(Options(insertBatchSize)), NullLogger<ChDbStore>.Instance);

    /// <summary>A database name no other test uses; dropped when the run ends.</summary>
    public string NewDatabase(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}";
        lock (_gate)
        {
            _databases.Add(name);
        }

        return name;
    }

    public async ValueTask InitializeAsync()
    {
        if (!ChDbLibrary.TryLoad(out var loadedFrom, out var problem))
        {
            throw new InvalidOperationException($"These tests need the real chDB engine: {problem}");
        }

        LibraryPath = loadedFrom;
        RemoveStaleDataDirectories();
        Store = CreateStore();
        var version = await Store.QueryAsync("SELECT version() AS v", TestContext.Current.CancellationToken);
        TestContext.Current.SendDiagnosticMessage($"chDB {ChDbLibrary.PinnedVersion} (engine {version[0]["v"]}) from {loadedFrom}, data at {DataPath}");
    }

    public async ValueTask DisposeAsync()
    {
        string[] databases;
        lock (_gate)
        {
            databases = [.. _databases];
        }

        // The engine stays up until the process exits; drop what the tests made so the data directory stays small.
        foreach (var database in databases)
        {
            await Store.ExecuteAsync($"DROP DATABASE IF EXISTS {database} SYNC", CancellationToken.None);
        }
    }

    private static void RemoveStaleDataDirectories()
    {
        if (!Directory.Exists(Root))
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories(Root))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && pid != Environment.ProcessId && !IsRunning(pid))
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (IOException)
                {
                    // Another run is cleaning up too; not ours to fight over.
                }
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
