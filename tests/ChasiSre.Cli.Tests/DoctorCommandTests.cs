using System.Text.Json;

namespace ChasiSre.Cli.Tests;

public sealed class DoctorCommandTests
{
    [Fact]
    public async Task Doctor_OnASetUpMachine_ExitsZeroAndSaysWhereEachPartLoadedFrom()
    {
        var (exit, stdout, _) = await ChasiProcess.RunAsync(new Dictionary<string, string>(), TestContext.Current.CancellationToken, "doctor", "--format", "json");

        using var report = JsonDocument.Parse(stdout);
        var checks = report.RootElement.GetProperty("checks").EnumerateArray().ToList();
        Assert.Equal(["librdkafka", "libchdb", "llama", "onnxruntime"], checks.Select(c => c.GetProperty("part").GetString() ?? "").ToArray());
        Assert.All(checks, c => Assert.True(File.Exists(c.GetProperty("loaded_from").GetString()!.Split(" (")[0]), c.ToString()));
        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task Doctor_WithoutLibchdb_ExitsOneAndNamesTheFix()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"chasi-no-chdb-{Guid.NewGuid():N}", "libchdb.so");
        var (exit, stdout, _) = await ChasiProcess.RunAsync(new Dictionary<string, string> { ["CHASI_CHDB_LIB"] = missing }, TestContext.Current.CancellationToken, "doctor");

        Assert.Equal(1, exit);
        var line = Assert.Single(stdout.Split('\n'), l => l.Contains("libchdb", StringComparison.Ordinal));
        Assert.StartsWith("FAIL", line, StringComparison.Ordinal);
        Assert.Contains(missing, line, StringComparison.Ordinal);
        Assert.Contains("eng/fetch-chdb.sh", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_Json_IsParseableAndNamesTheContractVersion()
    {
        var (exit, stdout, _) = await ChasiProcess.RunAsync(new Dictionary<string, string>(), TestContext.Current.CancellationToken, "version", "--format", "json");
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(1, json.RootElement.GetProperty("schema_version").GetInt32());
    }
}
