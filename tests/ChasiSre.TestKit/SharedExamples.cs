using System.Diagnostics;

namespace ChasiSre.TestKit;

/// <summary>Finds the shared scenario examples: $CHASI_SHARED_DIR, else &lt;repo root&gt;/../shared, else
/// &lt;directory of git remote origin&gt;/../shared (a clone of /work/main resolves to /work/shared).</summary>
public static class SharedExamples
{
    private static readonly Lazy<string> Root = new(Locate);

    public static string Directory => Root.Value;

    public static string Example(string name)
    {
        var path = Path.Combine(Directory, "scenarios", "examples", name);
        if (!System.IO.Directory.Exists(path))
        {
            throw new InvalidOperationException($"The shared example '{name}' is missing from {Directory}.");
        }

        return path;
    }

    private static string Locate()
    {
        var tried = new List<string>();
        var fromEnvironment = Environment.GetEnvironmentVariable("CHASI_SHARED_DIR");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            tried.Add(fromEnvironment + " ($CHASI_SHARED_DIR)");
            if (HasExamples(fromEnvironment))
            {
                return Path.GetFullPath(fromEnvironment);
            }
        }

        var repoRoot = RepositoryRoot.TryFind();
        if (repoRoot is not null)
        {
            var sibling = Path.GetFullPath(Path.Combine(repoRoot, "..", "shared"));
            tried.Add(sibling + " (<repo root>/../shared)");
            if (HasExamples(sibling))
            {
                return sibling;
            }

            var origin = GitOrigin(repoRoot);
            if (origin is not null)
            {
                var originShared = Path.GetFullPath(Path.Combine(origin, "..", "shared"));
                tried.Add(originShared + " (<git remote origin>/../shared)");
                if (HasExamples(originShared))
                {
                    return originShared;
                }
            }
        }

        throw new InvalidOperationException(
            "The shared scenario examples were not found. Set CHASI_SHARED_DIR to the directory holding scenarios/examples. Tried: "
            + (tried.Count == 0 ? "nothing (no repository root above the test binaries)" : string.Join("; ", tried)));
    }

    private static bool HasExamples(string directory) =>
        System.IO.Directory.Exists(Path.Combine(directory, "scenarios", "examples"));

    private static string? GitOrigin(string repoRoot)
    {
        var start = new ProcessStartInfo("git", ["-C", repoRoot, "config", "--get", "remote.origin.url"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            using var git = Process.Start(start);
            if (git is null)
            {
                return null;
            }

            var url = git.StandardOutput.ReadToEnd().Trim();
            if (!git.WaitForExit(10_000) || git.ExitCode != 0 || url.Length == 0)
            {
                return null;
            }

            if (url.StartsWith("file://", StringComparison.Ordinal))
            {
                url = new Uri(url).LocalPath;
            }

            return Path.IsPathRooted(url) ? url.TrimEnd('/') : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // git is not installed: this way of finding the examples does not apply.
        }
    }
}
