using System.Diagnostics;

namespace ChasiSre.Deploy.Tests;

/// <summary>Runs a program to completion and captures its output; killed (with its children) when cancelled.</summary>
internal static class ProcessRunner
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    public static async Task<Result> RunAsync(string program, IEnumerable<string> args, CancellationToken cancellationToken, string? stdin = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            WorkingDirectory = RepositoryLayout.Root,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken);
            process.StandardInput.Close();
        }

        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The built chasi (chasi.dll copied beside the tests through the project reference).</summary>
    public static Task<Result> ChasiAsync(CancellationToken cancellationToken, params string[] args) =>
        RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "chasi.dll"), .. args], cancellationToken);
}
