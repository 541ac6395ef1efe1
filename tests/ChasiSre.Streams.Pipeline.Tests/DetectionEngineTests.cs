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
}
