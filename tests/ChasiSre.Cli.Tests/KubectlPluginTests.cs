using System.Diagnostics;
using System.Text.Json;

namespace ChasiSre.Cli.Tests;

/// <summary>
/// The chasi binary installed as <c>kubectl-chasi</c> (a link on PATH, or what the krew manifest in deploy/krew
/// installs) is found and run by the real kubectl v1.33 as <c>kubectl chasi …</c>.
/// </summary>
public sealed class KubectlPluginTests : IDisposable
{
    private readonly string bin = Directory.CreateTempSubdirectory("chasi-plugin-").FullName;

    [Fact]
    public async Task KubectlChasi_LinkedOnPath_KubectlDispatchesToTheSameBinary()
    {
        var ct = TestContext.Current.CancellationToken;
        File.CreateSymbolicLink(Path.Combine(bin, "kubectl-chasi"), Path.Combine(AppContext.BaseDirectory, "chasi"));

        var (exit, stdout, stderr) = await KubectlAsync(ct, "chasi", "version", "--format", "json");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(typeof(Commands.VersionCommand).Assembly.GetName().Version!.ToString(3), json.RootElement.GetProperty("version").GetString());
        (exit, stdout, _) = await KubectlAsync(ct, "plugin", "list");
        Assert.Equal(0, exit);
        Assert.Contains(Path.Combine(bin, "kubectl-chasi"), stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubectlChasi_UnknownSubcommand_ExitCodeAndErrorComeThroughKubectl()
    {
        var ct = TestContext.Current.CancellationToken;
        File.CreateSymbolicLink(Path.Combine(bin, "kubectl-chasi"), Path.Combine(AppContext.BaseDirectory, "chasi"));

        var (exit, _, stderr) = await KubectlAsync(ct, "chasi", "no-such-command");

        Assert.NotEqual(0, exit);
        Assert.Contains("no-such-command", stderr, StringComparison.Ordinal);
    }

    private async Task<(int ExitCode, string StdOut, string StdErr)> KubectlAsync(CancellationToken ct, params string[] args)
    {
        var start = new ProcessStartInfo(AnalyzeKubectl.Require()) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        start.Environment["KUBECONFIG"] = Path.Combine(bin, "no-kubeconfig");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await stdout, await stderr);
    }

    public void Dispose() => Directory.Delete(bin, recursive: true);
}
