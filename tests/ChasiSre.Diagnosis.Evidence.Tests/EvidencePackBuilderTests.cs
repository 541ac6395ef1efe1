using System.Text.RegularExpressions;
using ChasiSre.Schemas.V1;
using Microsoft.ML.Tokenizers;

namespace ChasiSre.Diagnosis.Evidence.Tests;

public sealed partial class EvidencePackBuilderTests
{
    // An independent tokenizer instance: the pack's count is checked against it, not against itself.
    private static readonly Tokenizer Cl100k = TiktokenTokenizer.CreateForEncoding("cl100k_base");

    // Strict priority order unless a test asks for the knowledge reserve.
    private static EvidencePackBuilder Builder(Action<EvidencePackOptions>? configure = null)
    {
        var options = new EvidencePackOptions { KnowledgeReserveTokens = 0 };
        configure?.Invoke(options);
        return new EvidencePackBuilder(options);
    }

    [Fact]
    public void Build_KnowledgeReserve_RunbookPrintedEvenWhenHigherSectionsAreCut()
    {
        var strict = Builder().Build(Pipeline.Incident(), Pipeline.FullInputs(), 600);
        var reserved = Builder(o => o.KnowledgeReserveTokens = 150).Build(Pipeline.Incident(), Pipeline.FullInputs(), 600);

        Assert.Contains(EvidenceSection.Knowledge, strict.DroppedSections);
        Assert.DoesNotContain(EvidenceSection.Knowledge, reserved.DroppedSections);
        Assert.Contains(reserved.Items, i => i.Section == EvidenceSection.Knowledge);
        Assert.True(reserved.Tokens <= 600, $"{reserved.Tokens} > 600");
        // The reserve comes out of the other sections: fewer of their items than without it, each the same id.
        var others = reserved.Items.Where(i => i.Section != EvidenceSection.Knowledge).Select(i => i.Id).ToList();
        Assert.True(others.Count < strict.Items.Count);
        Assert.Equal(strict.EvidenceIds.Take(others.Count), others);
    }

    [Fact]
    public void Build_DefaultBudget_TokensCountedWithCl100kAndWithinBudget()
    {
        var pack = Builder().Build(Pipeline.Incident(), Pipeline.FullInputs());

        Assert.Equal(EvidencePackOptions.DefaultMaxTokens, pack.Budget);
        Assert.Equal(Cl100k.CountTokens(pack.Text), pack.Tokens);
        Assert.InRange(pack.Tokens, 1, 1500);
        Assert.Equal(pack.Tokens, pack.Sections.Sum(s => s.Tokens));
    }

    [Theory]
    [InlineData(128)]
    [InlineData(160)]
    [InlineData(200)]
    [InlineData(260)]
    [InlineData(333)]
    [InlineData(420)]
    [InlineData(512)]
    [InlineData(640)]
    [InlineData(800)]
    [InlineData(1000)]
    public void Build_TightBudget_NeverExceedsItAndCutsLowestPriorityFirst(int budget)
    {
        var full = Builder(o => o.MaxTokens = 100_000).Build(Pipeline.Incident(), Pipeline.FullInputs());
        Assert.True(full.Tokens > budget, $"the full pack ({full.Tokens} tokens) must exceed the budget for this test to mean anything");

        var pack = Builder().Build(Pipeline.Incident(), Pipeline.FullInputs(), budget);

        Assert.Equal(Cl100k.CountTokens(pack.Text), pack.Tokens);
        Assert.True(pack.Tokens <= budget, $"{pack.Tokens} tokens for a budget of {budget}:\n{pack.Text}");
        Assert.True(pack.Truncated);
        // Sections in priority order: complete ones, then at most one partial, then nothing.
        var firstIncomplete = pack.Sections.ToList().FindIndex(s => s.Dropped > 0 || s.Trimmed > 0);
        Assert.True(firstIncomplete >= 0);
        Assert.All(pack.Sections.Skip(firstIncomplete + 1), s => Assert.Equal(0, s.Included));
        // What was printed is a prefix of the unlimited pack's items, with the same ids.
        Assert.Equal(full.EvidenceIds.Take(pack.Items.Count), pack.EvidenceIds);
    }

    [Fact]
    public void Build_BudgetsFromTinyToLarge_EveryPrintedIdIsWholeAndListed()
    {
        var builder = Builder();
        for (var budget = 128; budget <= 1600; budget += 37)
        {
            var pack = builder.Build(Pipeline.Incident(), Pipeline.FullInputs(), budget);
            var printed = IdPattern().Matches(pack.Text).Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(pack.EvidenceIds, printed);
            // No id was cut: nothing that starts like an id is left without its closing bracket.
            Assert.Equal(printed.Count, OpenIdPattern().Count(pack.Text));
            Assert.True(pack.Tokens <= budget, $"{pack.Tokens} > {budget}");
        }
    }

    [Fact]
    public void Build_FullInputs_SectionsInPriorityOrder()
    {
        var pack = Builder(o => o.MaxTokens = 100_000).Build(Pipeline.Incident(), Pipeline.FullInputs());

        string[] order = ["# incident", "## signals", "## events", "## logs", "## objects", "## host <-> virtual", "## metrics", "## business", "## knowledge"];
        var positions = order.Select(h => pack.Text.IndexOf(h, StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p >= 0, pack.Text));
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(0, positions[0]);
        Assert.Equal(Enum.GetValues<EvidenceSection>(), pack.Sections.Select(s => s.Section));
        Assert.False(pack.Truncated);
        Assert.Empty(pack.DroppedSections);
    }

    [Fact]
    public void Build_HeaderAndSignals_CarryTheIncidentFactsFirst()
    {
        var pack = Builder().Build(Pipeline.Incident(), Pipeline.FullInputs(), 240);

        var lines = pack.Text.Split('\n');
        Assert.Equal("# incident inc-checkout rev 3: CrashLoop, layer virtual, severity error, open", lines[0]);
        Assert.Equal("subject: team-a/Deployment shop/checkout (virtual); tenants: team-a", lines[1]);
        Assert.Contains("[sig:1] error CrashLoop pod.crashloop on team-a/Pod shop/checkout-6d5f7c9b8-x2x9p since 10:00:30: container app restarted 5 times", pack.Text, StringComparison.Ordinal);
        Assert.Contains("\n  cause: host/Node worker-1 (host)\n", pack.Text, StringComparison.Ordinal);
        Assert.Contains("\n  - log: FATAL config: environment variable DEPLOY_ENV is not set\n", pack.Text, StringComparison.Ordinal);
        Assert.Equal(["sig:1"], pack.EvidenceIds);
        Assert.Equal([EvidenceSection.Events, EvidenceSection.Logs, EvidenceSection.Objects, EvidenceSection.Mapping, EvidenceSection.Metrics, EvidenceSection.Business, EvidenceSection.Knowledge], pack.DroppedSections);
    }

    [Fact]
    public void Build_SameEventOnSeveralPodsAndObservedTwice_OneLineWithSummedCountAndFirstLast()
    {
        var other = Pipeline.Pod("checkout-6d5f7c9b8-abcde");
        var incident = Pipeline.Incident();
        incident.Affected.Add(other);
        const string message = "Back-off restarting failed container app";
        var inputs = new EvidenceInputs
        {
            Events =
            [
                // The same event uid seen twice (count 5, later 12): counted once, at its latest count.
                Pipeline.Event("ev-a", "BackOff", message, "Warning", 5, 30, 90),
                Pipeline.Event("ev-a", "BackOff", message, "Warning", 12, 30, 240),
                Pipeline.Event("ev-b", "BackOff", message, "Warning", 3, 100, 300, other),
                Pipeline.Event("ev-c", "Pulled", "Container image already present on machine", "Normal", 1, 20, 20),
            ],
        };

        var pack = Builder().Build(incident, inputs);

        var events = pack.Sections.Single(s => s.Section == EvidenceSection.Events);
        Assert.Equal((2, 2, 0), (events.Available, events.Included, events.Dropped));
        Assert.Contains($"[ev:1] Warning BackOff x15 10:00:30..10:05:00 on team-a/Pod shop/{Pipeline.PodName}, team-a/Pod shop/checkout-6d5f7c9b8-abcde: {message}", pack.Text, StringComparison.Ordinal);
        Assert.Contains("[ev:2] Normal Pulled 10:00:20 on", pack.Text, StringComparison.Ordinal);
        var eventLines = pack.Text.Split('\n').Where(l => l.StartsWith("[ev:", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, eventLines.Count);
        Assert.Equal(["ev-a", "ev-b"], pack.Find("ev:1")!.RecordIds);
    }

    [Fact]
    public void Build_HostEventCopiedIntoTheVCluster_CountedOnceOnTheVirtualFace()
    {
        const string message = "Back-off restarting failed container app";
        var host = Pipeline.Event("ev-host", "BackOff", message, "Warning", 13, 30, 240, Pipeline.HostTwin());
        var copy = Pipeline.Event("ev-virtual", "BackOff", message, "Warning", 13, 30, 240);

        var pack = Builder().Build(Pipeline.Incident(), new EvidenceInputs { Events = [host, copy] });

        Assert.Contains($"[ev:1] Warning BackOff x13 10:00:30..10:04:00 on team-a/Pod shop/{Pipeline.PodName}: {message}", pack.Text, StringComparison.Ordinal);
        Assert.Equal(["ev-host", "ev-virtual"], pack.Find("ev:1")!.RecordIds);
    }

    [Fact]
    public void Build_NormalEventsNewerThanWarnings_WarningsStillFirst()
    {
        var inputs = new EvidenceInputs
        {
            Events =
            [
                Pipeline.Event("n1", "Scheduled", "Successfully assigned shop/x to worker-1", "Normal", 1, 290, 290),
                Pipeline.Event("w1", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", "Warning", 4, 10, 40),
                Pipeline.Event("n2", "Pulled", "Container image pulled", "Normal", 1, 295, 295),
            ],
        };

        var pack = Builder().Build(Pipeline.Incident(), inputs);

        Assert.Contains("[ev:1] Warning Unhealthy", pack.Text, StringComparison.Ordinal);
        Assert.True(pack.Text.IndexOf("Unhealthy", StringComparison.Ordinal) < pack.Text.IndexOf("Scheduled", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_PreviousAndCurrentContainerLogs_PreviousFirstAroundTheError()
    {
        var logs = new List<LogRecord>();
        // Current container first in the input, with a lot of noise before its error; the previous one crashed.
        for (var i = 0; i < 40; i++)
        {
            logs.Add(Pipeline.Log($"cur-{i}", 200 + i, LogLevel.Info, $"GET /health 200 {i}ms", previous: false));
        }

        logs.Add(Pipeline.Log("cur-err", 250, LogLevel.Error, "payment client: connection refused", previous: false));
        logs.Add(Pipeline.Log("prev-1", 10, LogLevel.Info, "starting checkout 2.4.1", previous: true));
        logs.Add(Pipeline.Log("prev-2", 11, LogLevel.Info, "connecting to db", previous: true));
        logs.Add(Pipeline.Log("prev-3", 12, LogLevel.Unspecified, "panic: runtime error: invalid memory address or nil pointer dereference", previous: true));
        logs.Add(Pipeline.Log("prev-4", 13, LogLevel.Unspecified, "goroutine 1 [running]:", previous: true));

        var pack = Builder().Build(Pipeline.Incident(), new EvidenceInputs { Logs = logs });

        var text = pack.Text;
        Assert.Contains($"team-a/Pod shop/{Pipeline.PodName} container app (previous, crashed):", text, StringComparison.Ordinal);
        var previous = text.IndexOf("(previous, crashed)", StringComparison.Ordinal);
        var current = text.IndexOf("container app:", StringComparison.Ordinal);
        Assert.True(previous >= 0 && current > previous, text);
        Assert.Contains("[log:1] 10:00:10 INFO starting checkout 2.4.1", text, StringComparison.Ordinal);
        Assert.Contains("[log:3] 10:00:12 - panic: runtime error", text, StringComparison.Ordinal);
        Assert.Contains("goroutine 1 [running]:", text, StringComparison.Ordinal);
        // The current container: the error with two lines before and none of the other 38 health checks.
        Assert.Contains("ERROR payment client: connection refused", text, StringComparison.Ordinal);
        Assert.Contains("GET /health 200 39ms", text, StringComparison.Ordinal);
        Assert.DoesNotContain("GET /health 200 10ms", text, StringComparison.Ordinal);
        Assert.Equal(["prev-1"], pack.Find("log:1")!.RecordIds);
    }

    [Fact]
    public void Build_RepeatedLogLine_PrintedOnceWithItsCount()
    {
        var logs = Enumerable.Range(0, 6).Select(i => Pipeline.Log($"l{i}", 100 + i, LogLevel.Error, "dial tcp 10.0.0.5:5432: connect: connection refused", previous: false)).ToList();

        var pack = Builder().Build(Pipeline.Incident(), new EvidenceInputs { Logs = logs });

        Assert.Single(Regex.Matches(pack.Text, "connection refused"));
        Assert.Contains("connection refused (x6)", pack.Text, StringComparison.Ordinal);
        Assert.Equal(6, pack.Find("log:1")!.RecordIds.Count);
    }

    [Fact]
    public void Build_LongLogLine_TrimmedToTheLineLimit()
    {
        var pack = Builder(o => o.MaxLineChars = 120).Build(Pipeline.Incident(), new EvidenceInputs { Logs = [Pipeline.Log("long", 100, LogLevel.Error, "stack: " + new string('x', 5000), previous: true)] });

        var line = pack.Text.Split('\n').Single(l => l.StartsWith("[log:1]", StringComparison.Ordinal));
        Assert.Equal(120, line.Length);
        Assert.EndsWith("…", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SecretSnapshotWithPlantedValues_PrintsKeyNamesOnly()
    {
        var inputs = new EvidenceInputs { Objects = [Pipeline.SecretSnapshot(plantValues: true), Pipeline.PodSnapshot()] };

        var pack = Builder(o => o.MaxTokens = 100_000).Build(Pipeline.Incident(), inputs);

        Assert.Contains("[obj:", pack.Text, StringComparison.Ordinal);
        Assert.Contains("team-a/Secret shop/db-creds", pack.Text, StringComparison.Ordinal);
        Assert.Contains("type=Opaque keys=[api-token, password, username]", pack.Text, StringComparison.Ordinal);
        foreach (var value in (string[])["c3VwZXItc2VjcmV0LXZhbHVl", "dG9rZW4tdmFsdWU=", "super-secret-value"])
        {
            Assert.DoesNotContain(value, pack.Text, StringComparison.Ordinal);
        }

        // Env values never appear (the URL holds a password); names and where a value comes from do.
        Assert.DoesNotContain("hunter2", pack.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("postgres://", pack.Text, StringComparison.Ordinal);
        Assert.Contains("env=[DATABASE_URL, DB_PASSWORD<-secret:db-creds.password]", pack.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_CustomResourceEmbeddingAPodTemplate_NoEnvValuesNoDataValuesNoCredentials()
    {
        var reference = Pipeline.Virtual("Rollout", "checkout");
        reference.ApiVersion = "argoproj.io/v1alpha1";
        var json = System.Text.Json.Nodes.JsonNode.Parse("""
            {
              "spec": {
                "workload": {"pod": {"containers": [{"name": "app", "env": [{"name": "API_KEY", "value": "sk-live-canary-123"}]}]}},
                "auth": {"password": "canary-password-456", "user": "svc"},
                "apiToken": "canary-token-789",
                "payload": {"data": {"secret.txt": "canary-data-000"}}
              }
            }
            """)!.AsObject();
        var incident = Pipeline.Incident();
        incident.Affected.Add(reference);

        var pack = Builder(o => o.MaxTokens = 100_000).Build(incident, new EvidenceInputs { Objects = [Pipeline.Snapshot(reference, 5, 100, json)] });

        Assert.Contains("team-a/Rollout shop/checkout", pack.Text, StringComparison.Ordinal);
        Assert.Contains("env: [API_KEY]", pack.Text, StringComparison.Ordinal);
        Assert.Contains("secret.txt", pack.Text, StringComparison.Ordinal);
        Assert.Contains("user: svc", pack.Text, StringComparison.Ordinal);
        foreach (var canary in (string[])["sk-live-canary-123", "canary-password-456", "canary-token-789", "canary-data-000"])
        {
            Assert.DoesNotContain(canary, pack.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Build_PodSnapshot_TrimmedSpecAndStatusWithoutNoise()
    {
        var pack = Builder(o => o.MaxTokens = 100_000).Build(Pipeline.Incident(), new EvidenceInputs { Objects = [Pipeline.PodSnapshot(), Pipeline.NodeSnapshot()] });

        var text = pack.Text;
        Assert.Contains($"[obj:1] team-a/Pod shop/{Pipeline.PodName} (related, virtual, rv 130, seen 10:04:10)", text, StringComparison.Ordinal);
        Assert.Contains("container app: image=registry.example.com/shop/checkout:2.4.1 requests=cpu:100m,memory:128Mi limits=memory:256Mi", text, StringComparison.Ordinal);
        Assert.Contains("readiness={httpGet /healthz:8080 period=10 failures=3}", text, StringComparison.Ordinal);
        Assert.Contains("condition Ready=False ContainersNotReady: containers with unready status: [app]", text, StringComparison.Ordinal);
        Assert.Contains("conditions ok: PodScheduled", text, StringComparison.Ordinal);
        Assert.Contains("state app: ready=false restarts=5 now=waiting CrashLoopBackOff \"back-off 2m40s restarting failed container=app\" last=terminated Error exit=1 at 2026-11-27T10:03:58Z", text, StringComparison.Ordinal);
        Assert.Contains("labels: app=checkout", text, StringComparison.Ordinal);
        Assert.Contains("spec: nodeName=worker-1", text, StringComparison.Ordinal);
        foreach (var noise in (string[])["managedFields", "pod-template-hash", "terminationMessagePath", "terminationGracePeriodSeconds", "restartPolicy", "lastHeartbeatTime", "sizeBytes", "huge/image"])
        {
            Assert.DoesNotContain(noise, text, StringComparison.Ordinal);
        }

        Assert.Contains("[obj:2] host/Node worker-1 (related, host, rv 500, seen 10:03:20)", text, StringComparison.Ordinal);
        Assert.Contains("allocatable={cpu: 7800m, memory: 31Gi}", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SeveralVersionsOfAnObject_OnlyTheHighestResourceVersion()
    {
        var inputs = new EvidenceInputs { Objects = [Pipeline.PodSnapshot(130, 250, restarts: 5), Pipeline.PodSnapshot(99, 300, restarts: 1), Pipeline.PodSnapshot(131, 260, restarts: 6)] };

        var pack = Builder().Build(Pipeline.Incident(), inputs);

        Assert.Contains("restarts=6", pack.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("restarts=5", pack.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("restarts=1 ", pack.Text, StringComparison.Ordinal);
        Assert.Equal(1, pack.Sections.Single(s => s.Section == EvidenceSection.Objects).Available);
    }

    [Fact]
    public void Build_SubjectSnapshot_ListedFirstAsSubject()
    {
        var inputs = new EvidenceInputs { Objects = [Pipeline.NodeSnapshot(), Pipeline.PodSnapshot(), Pipeline.DeploymentSnapshot()] };

        var pack = Builder(o => o.MaxTokens = 100_000).Build(Pipeline.Incident(), inputs);

        Assert.Contains("[obj:1] team-a/Deployment shop/checkout (subject, virtual, rv 120", pack.Text, StringComparison.Ordinal);
        Assert.Contains("template.labels={app: checkout}", pack.Text, StringComparison.Ordinal);
        Assert.Contains("condition Available=False MinimumReplicasUnavailable", pack.Text, StringComparison.Ordinal);
        Assert.True(pack.Text.IndexOf("[obj:2] team-a/Pod", StringComparison.Ordinal) < pack.Text.IndexOf("[obj:3] host/Node", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_InputsInAnyOrder_SameTextAndIds()
    {
        var inputs = Pipeline.FullInputs();
        var shuffled = inputs with
        {
            Objects = [.. inputs.Objects.Reverse()],
            Events = [.. inputs.Events.Reverse()],
            Logs = [.. inputs.Logs.Reverse()],
            Signals = [.. inputs.Signals.Reverse()],
        };
        var builder = Builder(o => o.MaxTokens = 100_000);

        var first = builder.Build(Pipeline.Incident(), inputs);
        var second = builder.Build(Pipeline.Incident(), shuffled);

        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.Items.Select(i => (i.Id, string.Join(",", i.RecordIds))), second.Items.Select(i => (i.Id, string.Join(",", i.RecordIds))));
    }

    [Fact]
    public void Build_RecordsOfAnotherTenant_LeftOutAndCounted()
    {
        var otherTenant = Pipeline.Pod("checkout-6d5f7c9b8-x2x9p", tenant: "team-b", hostNamespace: "vcluster-team-b");
        var inputs = new EvidenceInputs
        {
            Objects = [Pipeline.PodSnapshot(), Pipeline.PodSnapshot(900, 250, restarts: 77, tenant: "team-b", hostNamespace: "vcluster-team-b")],
            Events = [Pipeline.Event("b-ev", "Killing", "team-b secret event", "Warning", 1, 10, 10, otherTenant)],
            Logs = [Pipeline.Log("b-log", 10, LogLevel.Error, "team-b private log line", previous: true, otherTenant)],
        };

        var pack = Builder().Build(Pipeline.Incident(), inputs);

        Assert.Equal(3, pack.OutOfScope);
        Assert.DoesNotContain("team-b", pack.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("restarts=77", pack.Text, StringComparison.Ordinal);
        Assert.Contains("restarts=5", pack.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_VirtualPodWithHostTwin_PrintsMappingAndPlacement()
    {
        var pack = Builder(o => o.MaxTokens = 100_000).Build(Pipeline.Incident(), Pipeline.FullInputs());

        Assert.Contains($"[map:1] virtual team-a/Pod shop/{Pipeline.PodName} <-> host host/Pod vcluster-team-a/{Pipeline.TwinName}", pack.Text, StringComparison.Ordinal);
        Assert.Contains("vCluster team-a (tenant team-a) runs on host cluster host in namespace vcluster-team-a", pack.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_HostOnlyIncident_NoMappingSection()
    {
        var node = Pipeline.Node();
        var incident = new Incident
        {
            Id = "inc-node",
            Severity = Severity.Critical,
            State = IncidentState.Open,
            Subject = node,
            Signals = { new Signal { Id = "s-node", Detector = "node.notready", Subject = node, Severity = Severity.Critical, Message = "node worker-1 NotReady for 5m", Category = "NodeFailure", Active = true, Score = 1 } },
            OpenedAt = Pipeline.Time(0),
            UpdatedAt = Pipeline.Time(60),
            Category = "NodeFailure",
            Layer = Layer.Host,
        };

        var pack = Builder().Build(incident, new EvidenceInputs { Objects = [Pipeline.NodeSnapshot()] });

        Assert.DoesNotContain("## host <-> virtual", pack.Text, StringComparison.Ordinal);
        Assert.Equal(0, pack.Sections.Single(s => s.Section == EvidenceSection.Mapping).Available);
        Assert.Contains("; tenants: none (platform)", pack.Text, StringComparison.Ordinal);
        Assert.Contains("[obj:1] host/Node worker-1 (subject, host", pack.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MetricsBusinessAndKnowledge_EachWithItsIds()
    {
        var pack = Builder(o => o.MaxTokens = 100_000).Build(Pipeline.Incident(), Pipeline.FullInputs());

        Assert.Contains($"[met:1] anomaly.memory score 0.83 on team-a/Pod shop/{Pipeline.PodName} 10:00:40..10:03:20: working set 510 MB, 4x its baseline", pack.Text, StringComparison.Ordinal);
        Assert.Contains($"[met:2] container_memory_working_set_bytes{{container=app,pod={Pipeline.TwinName}}} on host/Pod vcluster-team-a/{Pipeline.TwinName}: 3 point(s) 10:00:00..10:00:30 first 1.2e+08 last 5.1e+08 min 1.2e+08 max 5.1e+08 at 10:00:30 bytes", pack.Text, StringComparison.Ordinal);
        Assert.Contains("[biz:1] orders (team-a) status UNHEALTHY at 10:00:50: checkout calls failing {orders_per_min=3}", pack.Text, StringComparison.Ordinal);
        Assert.Contains("[kb:1] kb:runbooks/crashloop-backoff.md#missing-configuration CrashLoopBackOff > Missing configuration", pack.Text, StringComparison.Ordinal);
        Assert.Equal(["kb:runbooks/crashloop-backoff.md#missing-configuration"], pack.Find("[kb:1]")!.RecordIds);
        // The anomaly is the metric section's, not a second finding in the signals section.
        Assert.DoesNotContain("anomaly.memory", pack.Text[..pack.Text.IndexOf("## metrics", StringComparison.Ordinal)], StringComparison.Ordinal);
    }

    [Fact]
    public void Build_BusinessLayerIncidentUnderATightBudget_AdapterEvidenceBeforeKubernetesContext()
    {
        var full = Builder(o => o.MaxTokens = 100_000).Build(Pipeline.Incident(), Pipeline.FullInputs());
        var headAndSignals = full.Text[..full.Text.IndexOf("## events", StringComparison.Ordinal)];
        var business = full.Text[full.Text.IndexOf("## business", StringComparison.Ordinal)..full.Text.IndexOf("## knowledge", StringComparison.Ordinal)];
        var budget = Cl100k.CountTokens(headAndSignals) + Cl100k.CountTokens(business) + 20;
        var businessIncident = Pipeline.Incident();
        businessIncident.Layer = Layer.Business;

        var virtualPack = Builder(o => o.MaxTokens = budget).Build(Pipeline.Incident(), Pipeline.FullInputs());
        var businessPack = Builder(o => o.MaxTokens = budget).Build(businessIncident, Pipeline.FullInputs());

        Assert.DoesNotContain("[biz:1]", virtualPack.Text, StringComparison.Ordinal);
        Assert.Contains(EvidenceSection.Business, virtualPack.DroppedSections);
        Assert.Contains("[biz:1] orders (team-a) status UNHEALTHY at 10:00:50: checkout calls failing {orders_per_min=3}", businessPack.Text, StringComparison.Ordinal);
        var businessAt = businessPack.Text.IndexOf("## business", StringComparison.Ordinal);
        var eventsAt = businessPack.Text.IndexOf("## events", StringComparison.Ordinal);
        Assert.True(businessPack.Text.IndexOf("[sig:1]", StringComparison.Ordinal) < businessAt);
        Assert.True(eventsAt < 0 || businessAt < eventsAt, "the business section comes before the events");
        Assert.InRange(businessPack.Tokens, 1, budget);
    }

    [Fact]
    public void Build_ObjectLargerThanItsShare_TrimmedAtTheEndWithItsIdKept()
    {
        var pack = Builder(o => o.MaxObjectTokens = 60).Build(Pipeline.Incident(), new EvidenceInputs { Objects = [Pipeline.PodSnapshot()] });

        var objectLines = pack.Text.Split('\n').SkipWhile(l => !l.StartsWith("[obj:1]", StringComparison.Ordinal)).TakeWhile(l => l.Length > 0 && !l.StartsWith("##", StringComparison.Ordinal)).ToList();
        Assert.True(objectLines.Count >= 2);
        Assert.Equal("  …", objectLines[^1]);
        Assert.InRange(objectLines.Sum(l => Cl100k.CountTokens(l + "\n")), 1, 60 + Cl100k.CountTokens("  …\n"));
    }

    [Fact]
    public void Build_NoInputs_IncidentAloneGivesHeaderSignalsAndTwinMapping()
    {
        var pack = Builder().Build(Pipeline.Incident(), EvidenceInputs.Empty);

        // The pod's twin is on its ObjectRef: the mapping needs no input.
        Assert.Equal(["sig:1", "map:1", "map:2"], pack.EvidenceIds);
        Assert.All(pack.Sections.Where(s => s.Section is not (EvidenceSection.Incident or EvidenceSection.Signals or EvidenceSection.Mapping)), s => Assert.Equal(0, s.Available));
        Assert.False(pack.Truncated);
    }

    [Fact]
    public void Find_BracketedOrBareId_ReturnsTheItem()
    {
        var pack = Builder().Build(Pipeline.Incident(), Pipeline.FullInputs());

        Assert.Equal(pack.Find("ev:1"), pack.Find("[ev:1]"));
        Assert.Equal(EvidenceSection.Events, pack.Find("ev:1")!.Section);
        Assert.Null(pack.Find("ev:99"));
        Assert.Equal(["sig-crash", "ev-backoff", "log-prev-3"], pack.Find("sig:1")!.RecordIds);
    }

    [GeneratedRegex(@"^\[((?:sig|ev|log|obj|map|met|biz|kb):\d+)\]", RegexOptions.Multiline)]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"\[(?:sig|ev|log|obj|map|met|biz|kb):", RegexOptions.Multiline)]
    private static partial Regex OpenIdPattern();
}
