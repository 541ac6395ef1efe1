using System.Globalization;
using ChasiSre.Schemas.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Streams.Store.Tests;

/// <summary>Records as the pipeline writes them: a vCluster pod with its host twin.</summary>
internal static class Records
{
    public static readonly DateTimeOffset At = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    public static ObjectRef Pod(int n, string tenant = "acme") => new()
    {
        Cluster = "vc-acme",
        Tenant = tenant,
        Layer = Layer.Virtual,
        ApiVersion = "v1",
        Kind = "Pod",
        Namespace = "shop",
        Name = $"web-{n}",
        Uid = $"uid-{n}",
        HostCluster = "host-1",
        HostNamespace = "vc-acme-ns",
        Twin = new ObjectRef { Cluster = "host-1", Layer = Layer.Host, Kind = "Pod", Namespace = "vc-acme-ns", Name = $"web-{n}-x-shop-x-vc-acme", Uid = $"twin-{n}" },
    };

    public static Timestamp Time(int seconds) => Timestamp.FromDateTimeOffset(At.AddSeconds(seconds));

    public static ObjectRecord Snapshot(int n, long resourceVersion) => new()
    {
        Snapshot = new ObjectSnapshot
        {
            Ref = Pod(n),
            ResourceVersion = resourceVersion.ToString(CultureInfo.InvariantCulture),
            ObservedAt = Time((int)resourceVersion),
            Labels = { ["app"] = "web" },
            ObjectJson = ByteString.CopyFromUtf8("""{"status":{"phase":"Running"}}"""),
        },
    };

    public static ObjectRecord Tombstone(int n, long resourceVersion) => new()
    {
        Tombstone = new ObjectTombstone { Ref = Pod(n), ResourceVersion = resourceVersion.ToString(CultureInfo.InvariantCulture), DeletedAt = Time((int)resourceVersion) },
    };

    public static KubeEvent Event(int n) => new()
    {
        Event = new ObjectRef { Cluster = "vc-acme", Tenant = "acme", Layer = Layer.Virtual, Kind = "Event", Namespace = "shop", Name = $"web-{n}.1", Uid = $"event-{n}" },
        Involved = Pod(n),
        Reason = "BackOff",
        Message = "Back-off restarting failed container",
        Type = "Warning",
        Count = 3,
        FirstSeen = Time(n),
        LastSeen = Time(n + 60),
        ReportingComponent = "kubelet",
    };

    public static LogRecord Log(int n) => new()
    {
        Source = Pod(n % 7),
        Container = "app",
        At = Time(n),
        Level = LogLevel.Error,
        Message = $"line {n}",
        Id = $"log-{n}",
    };

    public static Signal Signal(int n) => new()
    {
        Id = $"signal-{n}",
        Detector = "pod.crashloop",
        Subject = Pod(n),
        Severity = Severity.Critical,
        Reason = "CrashLoopBackOff",
        Category = "CrashLoop",
        FirstSeen = Time(n),
        LastSeen = Time(n + 30),
        Score = 1,
        Active = true,
    };

    public static Incident Incident(string id, long revision, IncidentState state) => new()
    {
        Id = id,
        Tenant = "acme",
        Title = "web crash-looping",
        Severity = Severity.Critical,
        State = state,
        Subject = Pod(1),
        OpenedAt = Time(0),
        UpdatedAt = Time((int)revision),
        Revision = revision,
        Fingerprint = "fp-1",
        SignalCount = (int)revision,
        Tenants = { "acme" },
        Category = "CrashLoop",
        Layer = Layer.Virtual,
        Summary = $"revision {revision}",
        Signals = { Signal(1) },
    };

    public static Diagnosis Diagnosis(string incidentId, long revision) => new()
    {
        IncidentId = incidentId,
        IncidentRevision = revision,
        Tenant = "acme",
        RootCause = "bad config",
        Explanation = $"explained at {revision}",
        Confidence = 0.8,
        Engine = "rules",
        DiagnosedAt = Time((int)revision),
        Citations = { new Citation { DocumentId = "runbook-crashloop", ChunkId = "c1" } },
    };

    /// <summary>Step <paramref name="sequence"/> of an action on Deployment shop/web; the pending step carries a diff.</summary>
    public static ActionRecord Action(string actionId, ActionPhase phase, int sequence) => new()
    {
        ActionId = actionId,
        IncidentId = "inc-1",
        Tenant = "acme",
        Phase = phase,
        Remediation = new Remediation
        {
            Id = "r1",
            Action = "rollout-restart",
            Risk = Risk.Medium,
            Target = new ObjectRef { Cluster = "vc-acme", Tenant = "acme", Layer = Layer.Virtual, ApiVersion = "apps/v1", Kind = "Deployment", Namespace = "shop", Name = "web" },
        },
        Actor = "executor",
        Decision = phase == ActionPhase.PendingApproval ? "approval" : "",
        PolicyRule = phase == ActionPhase.PendingApproval ? "approval-by-default" : "",
        Diff = phase == ActionPhase.PendingApproval ? "-  replicas: 1\n+  replicas: 2" : "",
        IdempotencyKey = "inc-1@1/r1",
        Sequence = sequence,
        At = Time(sequence),
    };
}
