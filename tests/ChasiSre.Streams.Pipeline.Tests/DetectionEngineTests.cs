using ChasiSre.Ingest.Scenarios;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Correlation;
using ChasiSre.Streams.Detection;
using ChasiSre.TestKit;
using Google.Protobuf;

namespace ChasiSre.Streams.Pipeline.Tests;

public sealed class DetectionEngineTests
{
    private static readonly CorrelationOptions Correlation = new();
    private static readonly string[] Kinds = ["Pod", "ReplicaSet", "Deployment", "Service", "Endpoints"];

    private static DetectionEngine NewEngine(DateTimeOffset start) =>
        new(new DetectorRunner(DetectorCatalog.Incidents()), Correlation, start, TimeSpan.FromMinutes(1));

    private static Dictionary<string, Incident> Replay(DetectionEngine engine, Scenario scenario, out DateTimeOffset end)
    {
        var incidents = new Dictionary<string, Incident>(StringComparer.Ordinal);
        end = scenario.StartTime;
        foreach (var batch in ScenarioRecords.Build(scenario))
        {
            end = scenario.StartTime + batch.At;
            foreach (var record in batch.Records)
            {
                engine.Apply(record, end);
            }

            Record(incidents, engine.Flush(end));
        }

        Record(incidents, engine.Flush(end + TimeSpan.FromMinutes(1)));
        return incidents;
    }

    private static void Record(Dictionary<string, Incident> incidents, IEnumerable<IncidentChange> changes)
    {
        foreach (var change in changes)
        {
            incidents[change.Key] = change.Incident;
        }
    }

    [Fact]
    public void Flush_SharedExampleCrashloop_OpensOneCrashLoopIncidentAboutTheDeployment()
    {
        var scenario = ScenarioLoader.Load(SharedExamples.Example("crashloop-missing-env"));
        var engine = NewEngine(scenario.StartTime);

        var incidents = Replay(engine, scenario, out _);

        var incident = Assert.Single(incidents.Values);
        Assert.Equal("CrashLoop", incident.Category);
        Assert.Equal(Layer.Virtual, incident.Layer);
        Assert.Equal(("team-a", "Deployment", "shop", "checkout"), (incident.Subject.Cluster, incident.Subject.Kind, incident.Subject.Namespace, incident.Subject.Name));
        Assert.Equal(0, engine.Pending);
    }

    [Fact]
    public void Apply_WithoutFlush_MarksObjectsButJudgesNothing()
    {
        var scenario = ScenarioLoader.Load(SharedExamples.Example("crashloop-missing-env"));
        var engine = NewEngine(scenario.StartTime);
        var first = ScenarioRecords.Build(scenario)[0];

        foreach (var record in first.Records)
        {
            engine.Apply(record, scenario.StartTime);
        }

        Assert.True(engine.Pending > 0);
        Assert.True(engine.Objects > 0);
        var changes = engine.Flush(scenario.StartTime);
        Assert.Equal(0, engine.Pending);
        Assert.Contains(changes, c => c.Kind == IncidentChangeKind.Opened);
    }

    [Fact]
    public void Flush_AfterTheWorkloadIsDeleted_ResolvesTheIncidentOnceResolveAfterHasPassed()
    {
        var scenario = ScenarioLoader.Load(SharedExamples.Example("crashloop-missing-env"));
        var engine = NewEngine(scenario.StartTime);
        var incidents = Replay(engine, scenario, out var end);
        var opened = Assert.Single(incidents.Values);

        // The team deletes the app (helm uninstall): every object of namespace shop goes, and the syncer deletes the
        // host twins.
        var deletedAt = end + TimeSpan.FromMinutes(2);
        var gone = Kinds.SelectMany(kind => engine.State.List("team-a", kind, "shop")
            .Concat(engine.State.List("host", kind, "vcluster-team-a").Where(o => o.Ref.Twin is { Cluster: "team-a", Namespace: "shop" })))
            .ToList();
        foreach (var obj in gone)
        {
            engine.Apply(new DetectionInput { Object = new ObjectRecord { Tombstone = new ObjectTombstone { Ref = obj.Ref } } }, deletedAt);
        }

        Record(incidents, engine.Flush(deletedAt));
        Assert.Equal(IncidentState.Open, incidents[opened.Id].State);
        Record(incidents, engine.Flush(deletedAt + Correlation.ResolveAfter + TimeSpan.FromSeconds(1)));
        Assert.Equal(IncidentState.Resolved, incidents[opened.Id].State);
    }

    private static Signal Alert(string id, string alertname, ObjectRef subject, bool active, string category = "") => new()
    {
        Id = id,
        Detector = "alertmanager/" + alertname,
        Subject = subject,
        Severity = Severity.Error,
        Reason = alertname,
        Message = $"{alertname} fired",
        Active = active,
        Category = category,
    };

    [Fact]
    public void Apply_AlertOnTheCrashloopingDeployment_JoinsItsIncident()
    {
        var scenario = ScenarioLoader.Load(SharedExamples.Example("crashloop-missing-env"));
        var engine = NewEngine(scenario.StartTime);
        var incidents = Replay(engine, scenario, out var end);
        var opened = Assert.Single(incidents.Values);

        engine.Apply(new DetectionInput { Alert = Alert("fp-1", "KubePodCrashLooping", opened.Subject.Clone(), active: true, category: "CrashLoop") }, end);
        Record(incidents, engine.Flush(end + TimeSpan.FromSeconds(1)));

        var incident = Assert.Single(incidents.Values);
        Assert.Equal(opened.Id, incident.Id);
        Assert.Contains(incident.Signals, s => s.Detector == "alertmanager/KubePodCrashLooping" && s.Active);
    }

    [Fact]
    public void Apply_AlertOnAnotherObject_OpensItsOwnIncidentThatResolvesWithTheAlert()
    {
        var at = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var engine = NewEngine(at);
        var node = new ObjectRef { Cluster = "host", HostCluster = "host", Layer = Layer.Host, ApiVersion = "v1", Kind = "Node", Name = "worker-3" };
        var incidents = new Dictionary<string, Incident>(StringComparer.Ordinal);

        engine.Apply(new DetectionInput { Alert = Alert("fp-2", "NodeFilesystemAlmostFull", node, active: true) }, at);
        Record(incidents, engine.Flush(at + TimeSpan.FromSeconds(1)));
        Record(incidents, engine.Flush(at + Correlation.GroupWait + TimeSpan.FromSeconds(1)));
        var incident = Assert.Single(incidents.Values);
        Assert.Equal("MetricAnomaly", incident.Category); // no category on the alert
        Assert.Equal(IncidentState.Open, incident.State);
        Assert.Equal("worker-3", incident.Subject.Name);

        var cleared = at + TimeSpan.FromMinutes(2);
        engine.Apply(new DetectionInput { Alert = Alert("fp-2", "NodeFilesystemAlmostFull", node, active: false) }, cleared);
        Record(incidents, engine.Flush(cleared));
        Record(incidents, engine.Flush(cleared + Correlation.ResolveAfter + TimeSpan.FromSeconds(1)));

        Assert.Equal(IncidentState.Resolved, incidents[incident.Id].State);
    }

    [Fact]
    public void Apply_AlertWithoutSubject_ThrowsArgumentException()
    {
        var engine = NewEngine(DateTimeOffset.UnixEpoch);

        Assert.Throws<ArgumentException>(() => engine.Apply(new DetectionInput { Alert = new Signal { Id = "x", Detector = "alertmanager/X", Active = true } }, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Apply_SnapshotWhoseJsonIsBroken_ThrowsArgumentExceptionNamingTheObject()
    {
        var engine = NewEngine(DateTimeOffset.UnixEpoch);
        var snapshot = new ObjectSnapshot
        {
            Ref = new ObjectRef { Cluster = "host", HostCluster = "host", Kind = "Pod", Namespace = "shop", Name = "web-1", ApiVersion = "v1" },
            ObjectJson = ByteString.CopyFromUtf8("{\"metadata\": {\"name\": "),
        };

        var error = Assert.Throws<ArgumentException>(() => engine.Apply(new DetectionInput { Object = new ObjectRecord { Snapshot = snapshot } }, DateTimeOffset.UnixEpoch));

        Assert.Contains("shop/web-1", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, engine.Objects);
    }

    [Fact]
    public void Apply_EmptyInput_ThrowsArgumentException()
    {
        var engine = NewEngine(DateTimeOffset.UnixEpoch);

        Assert.Throws<ArgumentException>(() => engine.Apply(new DetectionInput(), DateTimeOffset.UnixEpoch));
        Assert.Throws<ArgumentException>(() => engine.Apply(new DetectionInput { Object = new ObjectRecord() }, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Apply_SnapshotWithoutItsJson_ForgetsTheOlderVersion()
    {
        var scenario = ScenarioLoader.Load(SharedExamples.Example("crashloop-missing-env"));
        var engine = NewEngine(scenario.StartTime);
        Replay(engine, scenario, out var end);
        var pod = engine.State.List("team-a", "Pod", "shop").First();

        // Ingest publishes an object too large for a record without its JSON (and dead-letters it).
        engine.Apply(new DetectionInput { Object = new ObjectRecord { Snapshot = new ObjectSnapshot { Ref = pod.Ref, ObjectJsonOmitted = true } } }, end);

        Assert.Null(engine.State.Find(pod.Ref.Cluster, "Pod", pod.Ref.Namespace, pod.Ref.Name));
    }

    [Fact]
    public void Fleet_VirtualObject_IsItsHostCluster()
    {
        var virtualPod = new DetectionInput { Log = new LogRecord { Source = new ObjectRef { Cluster = "team-a", HostCluster = "prod-eu", Kind = "Pod" } } };
        var hostNode = new DetectionInput { Object = new ObjectRecord { Snapshot = new ObjectSnapshot { Ref = new ObjectRef { Cluster = "prod-eu", Kind = "Node" } } } };

        Assert.Equal("prod-eu", DetectionTopology.Fleet(virtualPod));
        Assert.Equal("prod-eu", DetectionTopology.Fleet(hostNode));
    }

    private static DetectionInput PodSnapshot(string resourceVersion, string phase, string containerState = """{"running":{}}""")
    {
        var reference = new ObjectRef { Cluster = "team-a", Tenant = "team-a", Layer = Layer.Virtual, HostCluster = "prod-eu", HostNamespace = "vcluster-team-a", ApiVersion = "v1", Kind = "Pod", Namespace = "shop", Name = "web-1", Uid = "u-1" };
        var json = $$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","namespace":"shop","uid":"u-1","resourceVersion":"{{{resourceVersion}}}"},"status":{"phase":"{{{phase}}}","containerStatuses":[{"name":"app","ready":false,"restartCount":6,"state":{{{containerState}}}}]}}""";
        return new DetectionInput
        {
            Object = new ObjectRecord
            {
                Snapshot = new ObjectSnapshot
                {
                    Ref = reference,
                    ResourceVersion = resourceVersion,
                    ObservedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch),
                    ObjectJson = ByteString.CopyFromUtf8(json),
                },
            },
        };
    }

    [Fact]
    public void Apply_SameVersionAgain_ReturnsFalseAndNeitherReplacesNorMarksTheObject()
    {
        var engine = NewEngine(DateTimeOffset.UnixEpoch);
        Assert.True(engine.Apply(PodSnapshot("7", "Running"), DateTimeOffset.UnixEpoch));
        var held = engine.State.Find("team-a", "Pod", "shop", "web-1");
        engine.Flush(DateTimeOffset.UnixEpoch);

        // A relist delivers the version the state holds: a new message, the same bytes.
        var changed = engine.Apply(PodSnapshot("7", "Running"), DateTimeOffset.UnixEpoch.AddSeconds(1));

        Assert.False(changed);
        Assert.Same(held, engine.State.Find("team-a", "Pod", "shop", "web-1"));
        Assert.Equal(0, engine.Pending);
    }

    [Fact]
    public void Apply_SameResourceVersionOtherJson_AppliesIt()
    {
        var engine = NewEngine(DateTimeOffset.UnixEpoch);
        engine.Apply(PodSnapshot("7", "Running"), DateTimeOffset.UnixEpoch);

        // Hand-written scenarios keep a resourceVersion while the status changes: only identical bytes are skipped.
        var changed = engine.Apply(PodSnapshot("7", "Pending"), DateTimeOffset.UnixEpoch);

        Assert.True(changed);
        Assert.Equal("Pending", engine.State.Find("team-a", "Pod", "shop", "web-1")!.Json.GetProperty("status").GetProperty("phase").GetString());
        Assert.Equal(1, engine.Pending);
    }

    [Fact]
    public void Apply_NewVersionOfAKnownObject_KeepsTheIdentityTheStateHolds()
    {
        var engine = NewEngine(DateTimeOffset.UnixEpoch);
        engine.Apply(PodSnapshot("7", "Running"), DateTimeOffset.UnixEpoch);
        var first = engine.State.Find("team-a", "Pod", "shop", "web-1")!;

        engine.Apply(PodSnapshot("8", "Running", """{"waiting":{"reason":"CrashLoopBackOff"}}"""), DateTimeOffset.UnixEpoch);

        var second = engine.State.Find("team-a", "Pod", "shop", "web-1")!;
        Assert.Equal("8", second.ResourceVersion);
        Assert.Same(first.Ref, second.Ref);
        var changes = engine.Flush(DateTimeOffset.UnixEpoch).Concat(engine.Flush(DateTimeOffset.UnixEpoch.AddMinutes(5)));
        Assert.Contains(changes, c => c.Incident.Category == "CrashLoop");
    }

    [Fact]
    public void Apply_EventAndLogLineOfAKnownPod_NameItByTheStatesReferenceAndMarkIt()
    {
        var engine = NewEngine(DateTimeOffset.UnixEpoch);
        engine.Apply(PodSnapshot("7", "Running"), DateTimeOffset.UnixEpoch);
        engine.Flush(DateTimeOffset.UnixEpoch);
        var pod = engine.State.Find("team-a", "Pod", "shop", "web-1")!;
        var kubeEvent = new KubeEvent
        {
            Event = new ObjectRef { Cluster = "team-a", HostCluster = "prod-eu", Kind = "Event", Namespace = "shop", Name = "web-1.1" },
            Involved = pod.Ref.Clone(),
            Reason = "BackOff",
            Type = "Warning",
            Message = "Back-off restarting failed container",
        };
        var line = new LogRecord { Source = pod.Ref.Clone(), Container = "app", Id = "l-1", Message = "panic: boom" };

        engine.Apply(new DetectionInput { Event = kubeEvent }, DateTimeOffset.UnixEpoch);
        engine.Apply(new DetectionInput { Log = line }, DateTimeOffset.UnixEpoch);

        Assert.Same(pod.Ref, Assert.Single(engine.State.Events(pod.Ref)).Involved);
        Assert.Same(pod.Ref, Assert.Single(engine.State.Logs(pod.Ref)).Source);
        Assert.Equal(1, engine.Pending);
    }

    [Fact]
    public void Apply_LogLineWithoutItsPod_ThrowsArgumentException()
    {
        var engine = NewEngine(DateTimeOffset.UnixEpoch);

        Assert.ThrowsAny<ArgumentException>(() => engine.Apply(new DetectionInput { Log = new LogRecord { Message = "x" } }, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void ObjectJson_StoreValueOfASnapshot_IsTheSnapshotsJsonBytesInPlace()
    {
        var input = PodSnapshot("7", "Running");
        var value = DetectionStateValue.Of(input);

        var json = DetectionStateValue.ObjectJson(value);

        Assert.Equal(input.Object.Snapshot.ObjectJson.ToByteArray(), json.ToArray());
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(json, out var segment));
        Assert.Same(value, segment.Array);
        Assert.Equal(input, DetectionInput.Parser.ParseFrom(value));
    }

    [Fact]
    public void ObjectJson_ValueWithoutSnapshotJsonOrMalformed_IsEmpty()
    {
        var kubeEvent = DetectionStateValue.Of(new DetectionInput { Event = new KubeEvent { Reason = "BackOff" } });
        var withoutJson = DetectionStateValue.Of(new DetectionInput { Object = new ObjectRecord { Snapshot = new ObjectSnapshot { ResourceVersion = "1" } } });
        var snapshot = DetectionStateValue.Of(PodSnapshot("7", "Running"));

        Assert.True(DetectionStateValue.ObjectJson(kubeEvent).IsEmpty);
        Assert.True(DetectionStateValue.ObjectJson(withoutJson).IsEmpty);
        Assert.True(DetectionStateValue.ObjectJson(snapshot[..^5]).IsEmpty);
        Assert.True(DetectionStateValue.ObjectJson([.. snapshot, .. snapshot]).IsEmpty);
    }

    [Fact]
    public void TelemetrySnapshot_RestoredIntoANewEngine_KeepsTheLearntBandSoTheLeakStillFires()
    {
        var scenario = ScenarioLoader.Load(RepositoryScenario("metric-memory-leak-ramp"));
        var batches = ScenarioRecords.Build(scenario);
        var history = batches.Where(b => b.At == TimeSpan.Zero).ToList();
        var rest = batches.Where(b => b.At > TimeSpan.Zero).ToList();
        Assert.Contains(history.SelectMany(b => b.Records), r => r.InputCase == DetectionInput.InputOneofCase.Metric);

        var learnt = NewEngine(scenario.StartTime);
        Feed(learnt, scenario, history);
        var snapshot = learnt.TakeTelemetrySnapshot();
        Assert.NotNull(snapshot);
        Assert.Null(learnt.TakeTelemetrySnapshot()); // Nothing changed since.
        var restored = NewEngine(scenario.StartTime);
        restored.RestoreTelemetry(snapshot.Value.Metrics, snapshot.Value.Business, snapshot.Value.Workloads);
        var fresh = NewEngine(scenario.StartTime);

        var fromRestored = Feed(restored, scenario, rest);
        var fromFresh = Feed(fresh, scenario, rest);

        var incident = Assert.Single(fromRestored.Values, i => i.Category == "MetricAnomaly");
        Assert.Contains("container_memory_working_set_bytes", incident.Summary, StringComparison.Ordinal);
        // Without the two days of history the monitor is still warming up: the same ramp says nothing.
        Assert.DoesNotContain(fromFresh.Values, i => i.Category == "MetricAnomaly");
    }

    [Fact]
    public void Apply_WorkloadMetricsAndErrorLines_JointDeviationRaisesTheWorkloadPcaSignal()
    {
        var start = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var pod = new ObjectRef { Cluster = "host", Layer = Layer.Host, ApiVersion = "v1", Kind = "Pod", Namespace = "shop", Name = "checkout-0", HostCluster = "host" };
        var engine = NewEngine(start);
        var random = new Random(5);
        var incidents = new Dictionary<string, Incident>(StringComparer.Ordinal);
        MetricSample Sample(string name, DateTimeOffset at, double value)
        {
            var sample = new MetricSample { Name = name, Series = $"{name}{{pod=\"checkout-0\"}}", Subject = pod };
            sample.Points.Add(new MetricSample.Types.Point { At = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(at), Value = value });
            return sample;
        }

        double Noise() => (random.NextDouble() - 0.5) * 0.1;

        // A day, minute by minute; from 20:00 to 20:20 CPU, latency and error lines rise together.
        for (var minute = 0; minute < 24 * 60; minute++)
        {
            var at = start.AddMinutes(minute);
            var bad = minute is >= 20 * 60 and < (20 * 60) + 20;
            engine.Apply(new DetectionInput { Metric = Sample("container_cpu_usage_cores", at, (bad ? 1.9 : 0.5) + Noise()) }, at);
            engine.Apply(new DetectionInput { Metric = Sample("container_memory_working_set_bytes", at, 2e8 * (1 + Noise())) }, at);
            engine.Apply(new DetectionInput { Metric = Sample("http_request_duration_seconds_p99", at, (bad ? 1.8 : 0.2) + (Noise() / 5)) }, at);
            for (var line = 0; line < (bad ? 20 : minute % 3 == 0 ? 1 : 0); line++)
            {
                engine.Apply(new DetectionInput { Log = new LogRecord { Source = pod, Container = "app", At = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(at.AddSeconds(line)), Level = LogLevel.Error, Message = "POST /pay failed", Id = $"l-{minute}-{line}" } }, at);
            }

            if (minute % 5 == 4)
            {
                Record(incidents, engine.Flush(at));
            }
        }

        var incident = Assert.Single(incidents.Values, i => i.Signals.Any(s => s.Detector == "anomaly.workload.pca"));
        Assert.Equal("MetricAnomaly", incident.Category);
        var signal = incident.Signals.First(s => s.Detector == "anomaly.workload.pca");
        Assert.StartsWith("2026-03-01T20:", signal.Attributes["first_anomaly"], StringComparison.Ordinal);
    }

    private static Dictionary<string, Incident> Feed(DetectionEngine engine, Scenario scenario, IEnumerable<ScenarioRecordBatch> batches)
    {
        var incidents = new Dictionary<string, Incident>(StringComparer.Ordinal);
        var end = scenario.StartTime;
        foreach (var batch in batches)
        {
            end = scenario.StartTime + batch.At;
            foreach (var record in batch.Records)
            {
                engine.Apply(record, end);
            }

            Record(incidents, engine.Flush(end));
        }

        Record(incidents, engine.Flush(end + Correlation.RefreshInterval));
        return incidents;
    }

    private static string RepositoryScenario(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "scenarios", name);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"tests/scenarios/{name} above {AppContext.BaseDirectory}");
    }
}
