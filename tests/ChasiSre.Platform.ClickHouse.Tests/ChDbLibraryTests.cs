using System.Diagnostics;

namespace ChasiSre.Platform.ClickHouse.Tests;

public sealed class ChDbLibraryTests(ChDbFixture chdb)
{
    [Fact]
    public void TryLoad_LibraryPresent_ReportsWhereFrom()
    {
        var loaded = ChDbLibrary.TryLoad(out var loadedFrom, out var problem);

        Assert.True(loaded, problem);
        Assert.Null(problem);
        Assert.Equal(chdb.LibraryPath, loadedFrom);
        Assert.True(File.Exists(loadedFrom));
    }

    [Fact]
    public void DefaultLibraryPath_IsUnderTheCacheForThePinnedVersion()
    {
        var path = ChDbLibrary.DefaultLibraryPath;

        Assert.EndsWith(Path.Combine("chdb", ChDbLibrary.PinnedVersion, "libchdb.so"), path, StringComparison.Ordinal);
        Assert.True(Path.IsPathRooted(path));
    }

    [Fact]
    public async Task FetchScript_PrintVersion_AgreesWithPinnedVersion()
    {
        var script = Path.Combine(RepositoryRoot(), "eng", "fetch-chdb.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script, "--print-version"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, process.ExitCode);
        Assert.Equal(ChDbLibrary.PinnedVersion, output.Trim());
    }

    [Fact]
    public async Task NullReference_AfterEngineStarted_IsStillAManagedException()
    {
        // chDB's engine start replaces SIGSEGV and other handlers; ChDbEngine restores the runtime's.
        await chdb.Store.QueryAsync("SELECT 1", TestContext.Current.CancellationToken);
        string? nothing = Environment.GetEnvironmentVariable("CHASI_NOT_SET_" + Guid.NewGuid().ToString("N"));

        var exception = Record.Exception(() => nothing!.Length);

        Assert.IsType<NullReferenceException>(exception);
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ChasiSre.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No ChasiSre.sln above {AppContext.BaseDirectory}.");
    }
}
