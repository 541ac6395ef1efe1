using System.Diagnostics;
using System.Text;

namespace ChasiSre.Ingest.Simulator.Tests;

/// <summary>Runs the real kubectl against a simulator, with its own kubeconfig and discovery cache.</summary>
internal sealed class Kubectl : IDisposable
{
    private readonly string _binary;
    private readonly string _directory;
    private readonly string _kubeconfig;

    public Kubectl(ApiServerSimulator simulator)
    {
        _binary = KubectlBinary.Require();
        _directory = Directory.CreateTempSubdirectory("chasi-kubectl-").FullName;
        _kubeconfig = simulator.WriteKubeconfig(System.IO.Path.Combine(_directory, "kubeconfig"));
    }

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    /// <summary>Runs kubectl to completion (bounded by a 60 s timeout).</summary>
    public async Task<Result> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts kubectl and hands back the process (for <c>get -w</c>); the caller kills it.</summary>
    public Process Start(params string[] args)
    {
        var info = new ProcessStartInfo(_binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.ArgumentList.Add("--kubeconfig");
        info.ArgumentList.Add(_kubeconfig);
        info.ArgumentList.Add("--cache-dir");
        info.ArgumentList.Add(System.IO.Path.Combine(_directory, "cache"));
        info.ArgumentList.Add("--request-timeout=10s");
        info.Environment["HOME"] = _directory;
        info.Environment["KUBECONFIG"] = _kubeconfig;
        return Process.Start(info) ?? throw new InvalidOperationException($"could not start {_binary}");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
