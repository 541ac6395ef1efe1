namespace ChasiSre.Ingest.Scenarios.Tests;

public sealed class ScenarioValidationTests
{
    private const string Header = """
        apiVersion: chasi.io/scenario/v1
        name: broken
        startTime: "2026-03-01T10:00:00Z"
        clusters:
          - name: host
          - name: team-a
            vcluster: {hostNamespace: vcluster-team-a, syncToHost: true}

        """;

    private const string ValidSteps = """
        steps:
          - at: 0
            cluster: team-a
            apply:
              - apiVersion: v1
                kind: Pod
                metadata: {name: p, namespace: shop}

        """;

    /// <summary>Broken scenarios: extra files, then the file, line and part of the reason of the expected error.</summary>
    private static readonly Dictionary<string, BrokenCase> Cases = new()
    {
        ["bad-apiVersion"] = new(
            Header.Replace("chasi.io/scenario/v1", "chasi.io/scenario/v2", StringComparison.Ordinal) + ValidSteps,
            [], "scenario.yaml", 1, 13, "unsupported apiVersion 'chasi.io/scenario/v2'; the supported version is chasi.io/scenario/v1"),
        ["unknown-key"] = new(
            Header + ValidSteps.Replace("    cluster: team-a", "    clustr: team-a", StringComparison.Ordinal),
            [], "scenario.yaml", 10, 5, "unknown key 'clustr' in a step (did you mean 'cluster'?)"),
        ["unknown-top-level-key"] = new(
            Header + ValidSteps + "expectations: {}\n",
            [], "scenario.yaml", 15, 1, "unknown key 'expectations' in the scenario"),
        ["missing-metadata-name"] = new(
            Header + ValidSteps.Replace("{name: p, namespace: shop}", "{namespace: shop}", StringComparison.Ordinal),
            [], "scenario.yaml", 14, 19, "needs metadata.name"),
        ["undeclared-cluster"] = new(
            Header + ValidSteps.Replace("cluster: team-a", "cluster: team-b", StringComparison.Ordinal),
            [], "scenario.yaml", 10, 14, "cluster 'team-b' is not declared"),
        ["bad-category"] = new(
            Header + ValidSteps + """
                expect:
                  incidents:
                    - subject: {cluster: team-a, kind: Pod, namespace: shop, name: p}
                      category: CrashLoops
                      layer: virtual

                """,
            [], "scenario.yaml", 18, 17, "unknown category 'CrashLoops' (did you mean 'CrashLoop'?)"),
        ["bad-layer"] = new(
            Header + ValidSteps + """
                expect:
                  incidents:
                    - subject: {cluster: team-a, kind: Pod, namespace: shop, name: p}
                      category: CrashLoop
                      layer: tenant

                """,
            [], "scenario.yaml", 19, 14, "layer 'tenant' must be host, virtual or business"),
        ["include-escapes"] = new(
            Header + "include: [../outside.yaml]\n" + ValidSteps,
            [], "scenario.yaml", 8, 11, "include '../outside.yaml' escapes the scenario directory"),
        ["include-cycle"] = new(
            Header + "include: [a.yaml]\n" + ValidSteps,
            [("a.yaml", "include: [b.yaml]\nsteps: []\n"), ("b.yaml", "steps: []\ninclude:\n  - a.yaml\n")],
            "b.yaml", 3, 5, "include cycle: a.yaml -> b.yaml -> a.yaml"),
        ["include-step-error"] = new(
            Header + "include: [more.yaml]\n" + ValidSteps,
            [("more.yaml", "- at: 5\n  cluster: team-a\n  delete:\n    - {kind: Pod, namespace: shop, name: p}\n")],
            "more.yaml", 4, 7, "a delete entry needs 'apiVersion'"),
        ["non-finite-sample"] = new(
            Header + """
                steps:
                  - at: 10
                    metrics:
                      - cluster: host
                        name: node_load1
                        labels: {node: worker-1}
                        samples: [[0, 1.5], [5, .inf]]

                """,
            [], "scenario.yaml", 14, 33, "a sample's value must be a finite number, got '.inf'"),
        ["quoted-at"] = new(
            Header + ValidSteps.Replace("at: 0", "at: '0'", StringComparison.Ordinal),
            [], "scenario.yaml", 9, 9, "'at' must be a number, got '0' (a quoted string)"),
        ["negative-at"] = new(
            Header + ValidSteps.Replace("at: 0", "at: -1", StringComparison.Ordinal),
            [], "scenario.yaml", 9, 9, "'at' must be between 0 and"),
        ["bad-log-pod"] = new(
            Header + ValidSteps + "    logs:\n      - {pod: p, container: app, lines: [x]}\n",
            [], "scenario.yaml", 16, 15, "pod 'p' must be namespace/name"),
        ["bad-start-time"] = new(
            Header.Replace("\"2026-03-01T10:00:00Z\"", "2026-03-01 10:00", StringComparison.Ordinal) + ValidSteps,
            [], "scenario.yaml", 3, 12, "not an RFC 3339 timestamp"),
        ["bad-name"] = new(
            Header.Replace("name: broken", "name: Broken_Scenario", StringComparison.Ordinal) + ValidSteps,
            [], "scenario.yaml", 2, 7, "must be kebab-case"),
        ["duplicate-cluster"] = new(
            Header + "  - name: team-a\n    vcluster: {hostNamespace: other}\n" + ValidSteps,
            [], "scenario.yaml", 8, 11, "cluster 'team-a' is declared twice"),
        ["no-twin-of-virtual-only-kind"] = new(
            Header.Replace("syncToHost: true}", "syncToHost: true, noTwin: [{kind: Deployment, namespace: shop, name: d}]}", StringComparison.Ordinal) + ValidSteps,
            [], "scenario.yaml", 7, 75, "noTwin lists a Deployment, which the syncer never puts on the host"),
        ["multi-document"] = new(
            Header + ValidSteps + "---\nname: second\n",
            [], "scenario.yaml", 15, 1, "more than one YAML document"),
        ["duplicate-key"] = new(
            Header + ValidSteps.Replace("    cluster: team-a", "    cluster: team-a\n    cluster: host", StringComparison.Ordinal),
            [], "scenario.yaml", 11, 5, "uplicate key"),
        ["invalid-yaml"] = new(
            Header + ValidSteps + "  - at: [1\n",
            [], "scenario.yaml", 16, 1, "invalid YAML"),
        ["unknown-tag"] = new(
            Header + ValidSteps.Replace("kind: Pod", "kind: !secret Pod", StringComparison.Ordinal),
            [], "scenario.yaml", 13, 15, "unsupported YAML tag '!secret'"),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Load_BrokenScenario_ReportsFileLineAndReason(string name)
    {
        var broken = Cases[name];
        using var dir = new TempDirectory();
        dir.Write("scenario.yaml", broken.Scenario);
        foreach (var (path, content) in broken.Files)
        {
            dir.Write(path, content);
        }

        var exception = Assert.Throws<ScenarioValidationException>(() => ScenarioLoader.Load(dir.Path));

        var expectedFile = Path.Combine(dir.Path, broken.File);
        Assert.True(
            exception.Errors.Any(e => e.File == expectedFile && e.Line == broken.Line && e.Column == broken.Column
                                      && e.Reason.Contains(broken.Reason, StringComparison.Ordinal)),
            $"expected {broken.File}:{broken.Line}:{broken.Column}: ...{broken.Reason}..., got:\n{exception.Message}");
        Assert.Contains($"{expectedFile}:{broken.Line}:{broken.Column}: ", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AliasBomb_RejectsWithoutExpanding()
    {
        using var dir = new TempDirectory();
        var bomb = string.Join("\n", Enumerable.Range(0, 9).Select(i =>
            i == 0
                ? "          l0: &l0 [x, x, x, x, x, x, x, x, x, x]"
                : $"          l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))}]"));
        dir.Write("scenario.yaml", Header + ValidSteps + $$"""
                  - apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: bomb, namespace: shop}
                    data:
            {{bomb}}

            """);
        var started = System.Diagnostics.Stopwatch.StartNew();

        var exception = Assert.Throws<ScenarioValidationException>(() => ScenarioLoader.Load(dir.Path));

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(20), $"took {started.Elapsed}");
        var error = Assert.Single(exception.Errors);
        Assert.Equal(Path.Combine(dir.Path, "scenario.yaml"), error.File);
        Assert.InRange(error.Line, 19, 27);
        Assert.Contains("alias bomb", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SeveralErrors_ReportsAllOfThem()
    {
        using var dir = new TempDirectory();
        dir.Write("scenario.yaml", """
            apiVersion: chasi.io/scenario/v9
            name: several
            startTime: yesterday
            steps:
              - at: 0
                cluster: nowhere
                apply:
                  - {apiVersion: v1, kind: Pod, metadata: {namespace: x}}
              - at: 5
                bogus: true

            """);

        var exception = Assert.Throws<ScenarioValidationException>(() => ScenarioLoader.Load(dir.Path));

        Assert.Equal(
            [(1, "unsupported apiVersion"), (3, "RFC 3339"), (6, "not declared"), (8, "metadata.name"), (10, "unknown key 'bogus'")],
            exception.Errors.Select(e => (e.Line, Fragment(e.Reason))).OrderBy(e => e.Line).ToList());

        static string Fragment(string reason) =>
            SeveralFragments.First(f => reason.Contains(f, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_OversizedFile_RejectsBeforeParsing()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("scenario.yaml", Header + ValidSteps);
        using (var stream = new FileStream(path, FileMode.Append))
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes("#" + new string('x', 8 * 1024 * 1024) + "\n"));
        }

        var exception = Assert.Throws<ScenarioValidationException>(() => ScenarioLoader.Load(dir.Path));

        var error = Assert.Single(exception.Errors);
        Assert.Equal((path, 1), (error.File, error.Line));
        Assert.Contains("limited to 8388608 bytes", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingDirectory_ReportsScenarioFileNotFound()
    {
        using var dir = new TempDirectory();

        var exception = Assert.Throws<ScenarioValidationException>(() => ScenarioLoader.Load(dir.Path));

        Assert.Contains("scenario.yaml not found", Assert.Single(exception.Errors).Reason, StringComparison.Ordinal);
    }

    private static readonly string[] SeveralFragments = ["unsupported apiVersion", "RFC 3339", "not declared", "metadata.name", "unknown key 'bogus'"];

    private sealed record BrokenCase(string Scenario, (string Path, string Content)[] Files, string File, int Line, int Column, string Reason);
}
