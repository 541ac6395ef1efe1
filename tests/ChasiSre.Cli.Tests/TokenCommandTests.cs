using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace ChasiSre.Cli.Tests;

public sealed class TokenCommandTests
{
    private static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(string stdin, CancellationToken ct, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "chasi.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Token_NewThenHash_HashIsTheSha256OfTheToken()
    {
        var ct = TestContext.Current.CancellationToken;
        var (exit, stdout, _) = await RunAsync("", ct, "token", "new");
        Assert.Equal(0, exit);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("chasi_", lines[0], StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lines[0]))), lines[1]);

        (exit, stdout, _) = await RunAsync(lines[0] + "\n", ct, "token", "hash");

        Assert.Equal(0, exit);
        Assert.Equal(lines[1], stdout.Trim());
    }

    [Fact]
    public async Task Token_HashOfNothing_ExitsTwo()
    {
        var (exit, _, stderr) = await RunAsync("", TestContext.Current.CancellationToken, "token", "hash");

        Assert.Equal(2, exit);
        Assert.Contains("no token", stderr, StringComparison.Ordinal);
    }
}
