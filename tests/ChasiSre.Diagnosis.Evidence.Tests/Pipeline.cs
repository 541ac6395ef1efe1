using System.Globalization;
using System.Text.Json.Nodes;
using ChasiSre.Schemas.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Diagnosis.Evidence.Tests;

/// <summary>
/// Records as the pipeline publishes them, about one incident: in tenant team-a's vCluster <c>team-a</c> (host namespace
/// <c>vcluster-team-a</c> on host <c>host</c>), Deployment shop/checkout crashloops because DEPLOY_ENV is not set.
/// Its pod has a host twin; the node is a platform object. Builders here make the inputs small tests vary.
/// </summary>
internal static class Pipeline
{
    public const string Tenant = "team-a";
    public const string VCluster = "team-a";
    public const string HostNamespace = "vcluster-team-a";
    public const string PodName = "checkout-6d5f7c9b8-x2x9p";
    public const string TwinName = PodName + "-x-shop-x-team-a";

    public static readonly DateTimeOffset At = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    public static Timestamp Time(int seconds) => Timestamp.FromDateTimeOffset(At.AddSeconds(seconds));

    public static ObjectRef Virtual(string kind, string name, string ns = "shop", string tenant = Tenant, string cluster = VCluster, string hostNamespace = HostNamespace) => new()
    {
        Cluster = cluster,
        Tenant = tenant,
        Layer = Layer.Virtual,
        ApiVersion = kind switch { "Deployment" or "ReplicaSet" => "apps/v1", _ => "v1" },
        Kind = kind,
        Namespace = ns,
        Name = name,
        Uid = $"uid-{tenant}-{hostNamespace}-{kind}-{name}",
        HostCluster = "host",
        HostNamespace = hostNamespace,
    };

    public static ObjectRef Pod(string name = PodName, string tenant = Tenant, string hostNamespace = HostNamespace)
    {
        var pod = Virtual("Pod", name, tenant: tenant, hostNamespace: hostNamespace);
        pod.Twin = new ObjectRef { Cluster = "host", Layer = Layer.Host, Kind = "Pod", Namespace = hostNamespace, Name = $"{name}-x-shop-x-team-a", Uid = $"twin-{tenant}-{name}" };
        return pod;
    }

    public static ObjectRef HostTwin() => new()
    {
        Cluster = "host",
        Tenant = Tenant,
        Layer = Layer.Host,
        ApiVersion = "v1",
        Kind = "Pod",
        Namespace = HostNamespace,
        Name = TwinName,
        Uid = "twin-team-a-" + PodName,
        HostCluster = "host",
        Twin = new ObjectRef { Cluster = VCluster, Layer = Layer.Virtual, Kind = "Pod", Namespace = "shop", Name = PodName, Uid = "uid-virtual-pod" },
    };

    public static ObjectRef Node(string name = "worker-1") => new()
    {
        Cluster = "host",
        Layer = Layer.Host,
        ApiVersion = "v1",
        Kind = "Node",
        Name = name,
        Uid = "uid-node-" + name,
        HostCluster = "host",
    };

    public static ObjectRef Deployment(string tenant = Tenant, string hostNamespace = HostNamespace) => Virtual("Deployment", "checkout", tenant: tenant, hostNamespace: hostNamespace);

    public static ObjectRef Secret() => Virtual("Secret", "db-creds");

    public static Signal CrashSignal(string id = "sig-crash", ObjectRef? subject = null) => new()
    {
        Id = id,
        Detector = "pod.crashloop",
        Subject = subject ?? Pod(),
        Severity = Severity.Error,
        Reason = "CrashLoopBackOff",
        Message = "container app restarted 5 times: CrashLoopBackOff (exit 1)",
        FirstSeen = Time(30),
        LastSeen = Time(240),
        Score = 1,
        Active = true,
        Category = "CrashLoop",
        Cause = Node(),
        Evidence =
        {
            new EvidenceRef { Summary = "Event BackOff x12", RecordId = "ev-backoff" },
            new EvidenceRef { Summary = "log: FATAL config: environment variable DEPLOY_ENV is not set", RecordId = "log-prev-3" },
        },
    };

    public static Signal AnomalySignal(string id = "sig-mem", ObjectRef? subject = null) => new()
    {
        Id = id,
        Detector = "anomaly.memory",
        Subject = subject ?? Pod(),
        Severity = Severity.Warning,
        Reason = "MemorySpike",
        Message = "working set 510 MB, 4x its baseline",
        FirstSeen = Time(40),
        LastSeen = Time(200),
        Score = 0.83,
        Active = true,
        Category = "MetricAnomaly",
    };

    public static Incident Incident(params Signal[] signals) => new()
    {
        Id = "inc-checkout",
        Tenant = Tenant,
        Tenants = { Tenant },
        Title = "checkout crashloops",
        Severity = Severity.Error,
        State = IncidentState.Open,
        Subject = Deployment(),
        Affected = { Pod(), Secret() },
        Signals = { signals.Length == 0 ? [CrashSignal()] : signals },
        OpenedAt = Time(60),
        UpdatedAt = Time(300),
        Revision = 3,
        SignalCount = Math.Max(1, signals.Length),
        Category = "CrashLoop",
        Layer = Layer.Virtual,
        Summary = "Deployment shop/checkout in team-a crashloops",
    };

    public static ObjectSnapshot Snapshot(ObjectRef reference, long resourceVersion, int observedAt, JsonObject json, IDictionary<string, string>? labels = null)
    {
        json["apiVersion"] = reference.ApiVersion;
        json["kind"] = reference.Kind;
        var snapshot = new ObjectSnapshot
        {
            Ref = reference,
            ResourceVersion = resourceVersion.ToString(CultureInfo.InvariantCulture),
            ObservedAt = Time(observedAt),
            CreatedAt = Time(-86_400),
            ObjectJson = ByteString.CopyFromUtf8(json.ToJsonString()),
        };
        if (labels is not null)
        {
            snapshot.Labels.Add(labels);
        }

        return snapshot;
    }

    /// <summary>The crashlooping pod as ingest publishes it (managedFields already dropped upstream, but planted here to prove they go).</summary>
    public static ObjectSnapshot PodSnapshot(long resourceVersion = 130, int observedAt = 250, int restarts = 5, string? name = null, string tenant = Tenant, string hostNamespace = HostNamespace)
    {
        var reference = Pod(name ?? PodName, tenant, hostNamespace);
        var json = JsonNode.Parse($$$"""
            {
              "metadata": {"name": "{{{reference.Name}}}", "namespace": "shop", "managedFields": [{"manager": "kubelet", "operation": "Update"}]},
              "spec": {
                "nodeName": "worker-1",
                "restartPolicy": "Always",
                "terminationGracePeriodSeconds": 30,
                "containers": [{
                  "name": "app",
                  "image": "registry.example.com/shop/checkout:2.4.1",
                  "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}},
                  "env": [
                    {"name": "DATABASE_URL", "value": "postgres://checkout:hunter2@db:5432/shop"},
                    {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db-creds", "key": "password"} } }
                  ],
                  "readinessProbe": {"httpGet": {"path": "/healthz", "port": 8080}, "periodSeconds": 10, "failureThreshold": 3},
                  "terminationMessagePath": "/dev/termination-log"
                }]
              },
              "status": {
                "phase": "Running",
                "conditions": [
                  {"type": "Ready", "status": "False", "reason": "ContainersNotReady", "message": "containers with unready status: [app]"},
                  {"type": "PodScheduled", "status": "True"}
                ],
                "containerStatuses": [{
                  "name": "app", "ready": false, "restartCount": {{{restarts}}},
                  "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 2m40s restarting failed container=app"}},
                  "lastState": {"terminated": {"reason": "Error", "exitCode": 1, "finishedAt": "2026-11-27T10:03:58Z"}}
                }]
              }
            }
            """)!.AsObject();
        return Snapshot(reference, resourceVersion, observedAt, json, new Dictionary<string, string> { ["app"] = "checkout", ["pod-template-hash"] = "6d5f7c9b8" });
    }

    public static ObjectSnapshot DeploymentSnapshot(long resourceVersion = 120, int observedAt = 240, string tenant = Tenant, string hostNamespace = HostNamespace)
    {
        var json = JsonNode.Parse("""
            {
              "metadata": {"name": "checkout", "namespace": "shop"},
              "spec": {
                "replicas": 1,
                "progressDeadlineSeconds": 600,
                "selector": {"matchLabels": {"app": "checkout"}},
                "template": {"metadata": {"labels": {"app": "checkout"}}, "spec": {"containers": [{"name": "app", "image": "registry.example.com/shop/checkout:2.4.1", "env": [{"name": "DATABASE_URL", "value": "postgres://checkout:hunter2@db:5432/shop"}]}]}}
              },
              "status": {
                "replicas": 1, "unavailableReplicas": 1,
                "conditions": [{"type": "Available", "status": "False", "reason": "MinimumReplicasUnavailable", "message": "Deployment does not have minimum availability."}]
              }
            }
            """)!.AsObject();
        return Snapshot(Deployment(tenant, hostNamespace), resourceVersion, observedAt, json);
    }

    /// <summary>A Secret as ingest's normalizer publishes it (values replaced by <c>dataKeys</c>), plus planted values a faulty producer might leave in.</summary>
    public static ObjectSnapshot SecretSnapshot(bool plantValues)
    {
        var json = JsonNode.Parse("""{"metadata": {"name": "db-creds", "namespace": "shop"}, "type": "Opaque", "dataKeys": ["password", "username"]}""")!.AsObject();
        if (plantValues)
        {
            json["data"] = new JsonObject { ["password"] = "c3VwZXItc2VjcmV0LXZhbHVl", ["api-token"] = "dG9rZW4tdmFsdWU=" };
            json["stringData"] = new JsonObject { ["password"] = "super-secret-value" };
        }

        return Snapshot(Secret(), 90, 100, json);
    }

    public static ObjectSnapshot NodeSnapshot() => Snapshot(Node(), 500, 200, JsonNode.Parse("""
        {
          "metadata": {"name": "worker-1"},
          "spec": {"podCIDR": "10.42.1.0/24"},
          "status": {
            "conditions": [
              {"type": "MemoryPressure", "status": "False", "reason": "KubeletHasSufficientMemory", "lastHeartbeatTime": "2026-11-27T10:00:00Z"},
              {"type": "Ready", "status": "True", "reason": "KubeletReady"}
            ],
            "images": [{"names": ["registry.example.com/huge/image:1"], "sizeBytes": 123456789}],
            "allocatable": {"cpu": "7800m", "memory": "31Gi"}
          }
        }
        """)!.AsObject());

    public static KubeEvent Event(string uid, string reason, string message, string type, int count, int first, int last, ObjectRef? involved = null) => new()
    {
        Event = new ObjectRef { Cluster = VCluster, Tenant = Tenant, Layer = Layer.Virtual, Kind = "Event", Namespace = "shop", Name = $"{uid}.evt", Uid = uid },
        Involved = involved ?? Pod(),
        Reason = reason,
        Message = message,
        Type = type,
        Count = count,
        FirstSeen = Time(first),
        LastSeen = Time(last),
        ReportingComponent = "kubelet",
    };

    public static LogRecord Log(string id, int at, LogLevel level, string message, bool previous, ObjectRef? source = null, string container = "app") => new()
    {
        Id = id,
        Source = source ?? Pod(),
        Container = container,
        Previous = previous,
        At = Time(at),
        Level = level,
        Message = message,
    };

    /// <summary>What a crashlooping container logs: start-up chatter, then the fatal line (previous), and the restarted one.</summary>
    public static IReadOnlyList<LogRecord> CrashLogs() =>
    [
        Log("log-prev-1", 10, LogLevel.Info, "starting checkout 2.4.1", previous: true),
        Log("log-prev-2", 11, LogLevel.Info, "loading configuration from environment", previous: true),
        Log("log-prev-3", 12, LogLevel.Fatal, "config: environment variable DEPLOY_ENV is not set", previous: true),
        Log("log-cur-1", 200, LogLevel.Info, "starting checkout 2.4.1", previous: false),
        Log("log-cur-2", 201, LogLevel.Info, "loading configuration from environment", previous: false),
        Log("log-cur-3", 202, LogLevel.Fatal, "config: environment variable DEPLOY_ENV is not set", previous: false),
    ];

    public static IReadOnlyList<KubeEvent> CrashEvents() =>
    [
        Event("ev-backoff", "BackOff", "Back-off restarting failed container app in pod " + PodName, "Warning", 12, 30, 240),
        Event("ev-pulled", "Pulled", "Container image \"registry.example.com/shop/checkout:2.4.1\" already present on machine", "Normal", 6, 5, 200),
        Event("ev-started", "Started", "Started container app", "Normal", 6, 6, 201),
    ];

    public static EvidenceInputs FullInputs() => new()
    {
        Objects = [DeploymentSnapshot(), PodSnapshot(), SecretSnapshot(plantValues: false), NodeSnapshot()],
        Events = CrashEvents(),
        Logs = CrashLogs(),
        Signals = [AnomalySignal()],
        Metrics =
        [
            new MetricSample
            {
                Series = "container_memory_working_set_bytes{container=app,pod=" + TwinName + "}",
                Name = "container_memory_working_set_bytes",
                Labels = { ["container"] = "app", ["pod"] = TwinName },
                Subject = HostTwin(),
                Unit = "bytes",
                Points = { new MetricSample.Types.Point { At = Time(0), Value = 1.2e8 }, new MetricSample.Types.Point { At = Time(30), Value = 5.1e8 }, new MetricSample.Types.Point { At = Time(15), Value = 1.3e8 } },
            },
        ],
        Business =
        [
            new BusinessRecord
            {
                Adapter = "orders",
                Id = "biz-status-1",
                Subject = new ObjectRef { Cluster = Tenant, Tenant = Tenant, Layer = Layer.Business, Kind = "BusinessAdapter", Name = "orders" },
                At = Time(50),
                Status = new BusinessStatus { Healthy = false, Summary = "checkout calls failing", Metrics = { ["orders_per_min"] = 3 } },
            },
        ],
        Knowledge =
        [
            new KnowledgeEvidence("kb:runbooks/crashloop-backoff.md#missing-configuration", "CrashLoopBackOff > Missing configuration", "A container that exits at start-up because an environment variable is missing restarts forever. Check the Deployment's env and envFrom against what the application reads."),
        ],
    };
}
