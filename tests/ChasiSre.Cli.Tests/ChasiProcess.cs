using System.Diagnostics;

namespace ChasiSre.Cli.Tests;

/// <summary>Runs the built chasi binary as a user would, with its own environment.</summary>
internal static class ChasiProcess
{
    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(IReadOnlyDictionary<string, string> environment, CancellationToken ct, params string[] args)
    {
        var chasi = Path.Combine(AppContext.BaseDirectory, "chasi.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(chasi);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await stdout, await stderr);
    }
}
