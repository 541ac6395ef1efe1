using System.Text.RegularExpressions;
using ChasiSre.Platform.ClickHouse;

namespace ChasiSre.Deploy.Tests;

/// <summary>
/// The repository's Dockerfile, checked without Docker: every COPY source exists and survives .dockerignore, the
/// publish command it runs succeeds here with the same arguments and produces the entrypoint it names (which then
/// runs), the user is the chart's non-root user, and the version, image name and chDB path agree with the chart and the code.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly string DockerfilePath = Path.Combine(RepositoryLayout.Root, "Dockerfile");

    private static string Dockerfile => File.ReadAllText(DockerfilePath);

    /// <summary>The instructions, continuation lines joined.</summary>
    private static List<string> Instructions => Dockerfile.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n')
        .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

    [Fact]
    public void Copy_EverySourceFromTheContext_ExistsAndIsNotIgnored()
    {
        var ignore = File.ReadAllLines(Path.Combine(RepositoryLayout.Root, ".dockerignore")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var copies = Instructions.Where(i => i.StartsWith("COPY ", StringComparison.Ordinal) && !i.Contains("--from=", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(copies);
        foreach (var copy in copies)
        {
            var parts = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var source in parts[1..^1])
            {
                var path = Path.Combine(RepositoryLayout.Root, source.TrimEnd('/'));
                Assert.True(File.Exists(path) || Directory.Exists(path), $"{copy}: {source} does not exist");
                Assert.False(Ignored(ignore, source.TrimEnd('/')), $"{copy}: .dockerignore excludes {source}");
            }
        }

        // The check can fail: build output is ignored.
        Assert.True(Ignored(ignore, "cli/ChasiSre.Cli/bin"));
        Assert.True(Ignored(ignore, "eng/setup.sh"));
    }

    [Fact]
    public async Task Publish_TheDockerfilesCommand_ProducesTheEntrypointItNames()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        // Below eng/test.sh's 10-minute hang timeout. After its Release build of the solution only the CLI is compiled for
        // the RID (referenced libraries are RID-agnostic and up to date), so this takes a minute or two there.
        timeout.CancelAfter(TimeSpan.FromMinutes(9));
        var run = Instructions.Single(i => i.StartsWith("RUN dotnet publish ", StringComparison.Ordinal));
        var args = run["RUN dotnet ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var output = args[args.IndexOf("-o") + 1];
        var copied = Instructions.Single(i => i.StartsWith("COPY --from=build ", StringComparison.Ordinal)).Split(' ');
        Assert.Equal(output, copied[2]);
        var entrypoint = EntrypointPattern().Match(Dockerfile).Groups[1].Value;
        Assert.StartsWith(copied[3] + "/", entrypoint, StringComparison.Ordinal);
        var directory = Directory.CreateTempSubdirectory("chasi-publish-").FullName;
        try
        {
            // The Dockerfile's arguments, run from the repository root as the build stage runs them from /src; only the output moves.
            args[args.IndexOf("-o") + 1] = Path.Combine(directory, "app");
            var result = await ProcessRunner.RunAsync("dotnet", [.. args, "-nologo", "-clp:ErrorsOnly"], timeout.Token);
            Assert.True(result.ExitCode == 0, $"dotnet {string.Join(' ', args)} failed:\n{result.StdOut}\n{result.StdErr}");

            var binary = Path.Combine(directory, "app", entrypoint[(copied[3].Length + 1)..]);
            Assert.True(File.Exists(binary), $"{entrypoint} is not what the publish produced ({binary} missing)");
            var help = await ProcessRunner.RunAsync(binary, ["--help"], timeout.Token);
            Assert.True(help.ExitCode == 0, help.StdErr);
            Assert.Contains("run", help.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task User_IsTheChartsNonRootUser()
    {
        var user = Instructions.Last(i => i.StartsWith("USER ", StringComparison.Ordinal))["USER ".Length..].Split(':');
        var values = await File.ReadAllTextAsync(Path.Combine(RepositoryLayout.Chart, "values.yaml"), TestContext.Current.CancellationToken);

        Assert.NotEqual("0", user[0]);
        Assert.NotEqual("root", user[0]);
        Assert.Contains($"runAsUser: {user[0]}", values, StringComparison.Ordinal);
        Assert.Contains($"runAsGroup: {user[1]}", values, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Labels_VersionAndImageName_MatchTheChartsDefaultImage()
    {
        var ct = TestContext.Current.CancellationToken;
        var version = VersionPattern().Match(Dockerfile).Groups[1].Value;
        var url = LabelPattern().Match(Dockerfile).Groups[1].Value;
        var chart = await File.ReadAllTextAsync(Path.Combine(RepositoryLayout.Chart, "Chart.yaml"), ct);
        var values = await File.ReadAllTextAsync(Path.Combine(RepositoryLayout.Chart, "values.yaml"), ct);
        var props = await File.ReadAllTextAsync(Path.Combine(RepositoryLayout.Root, "Directory.Build.props"), ct);

        Assert.Contains($"appVersion: \"{version}\"", chart, StringComparison.Ordinal);
        Assert.Contains($"<Version>{version}</Version>", props, StringComparison.Ordinal);
        Assert.Contains("org.opencontainers.image.version=\"${VERSION}\"", Dockerfile, StringComparison.Ordinal);
        Assert.Contains($"repository: {url["https://".Length..]}\n", values, StringComparison.Ordinal);
        Assert.EndsWith("/chasi", url, StringComparison.Ordinal);
        Assert.Contains("org.opencontainers.image.title=\"chasi\"", Dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void ChDb_TheImagesLibraryPath_IsTheVariableTheLoaderReads()
    {
        Assert.Contains($"ENV {ChDbLibrary.LibraryPathVariable}=/opt/chasi/native/libchdb.so", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("COPY --from=chdb /chdb/ /opt/chasi/native/", Dockerfile, StringComparison.Ordinal);
    }

    /// <summary>.dockerignore semantics for the patterns used here: <c>**</c>, <c>*</c>, directory prefixes, <c>!</c> exceptions; the last match wins.</summary>
    private static bool Ignored(List<string> patterns, string path)
    {
        var ignored = false;
        foreach (var raw in patterns)
        {
            var negated = raw.StartsWith('!');
            var pattern = (negated ? raw[1..] : raw).TrimEnd('/');
            var regex = "^" + Regex.Escape(pattern).Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal).Replace(@"\*", "[^/]*", StringComparison.Ordinal) + "(/.*)?$";
            if (Regex.IsMatch(path, regex))
            {
                ignored = !negated;
            }
        }

        return ignored;
    }

    [GeneratedRegex("ENTRYPOINT \\[\"([^\"]+)\"\\]")]
    private static partial Regex EntrypointPattern();

    [GeneratedRegex("ARG VERSION=([0-9][^\\s]*)")]
    private static partial Regex VersionPattern();

    [GeneratedRegex("org.opencontainers.image.url=\"([^\"]+)\"")]
    private static partial Regex LabelPattern();
}
