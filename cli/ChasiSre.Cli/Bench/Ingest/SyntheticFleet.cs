using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ChasiSre.Ingest;
using ChasiSre.Ingest.Simulator;

namespace ChasiSre.Cli.Bench.Ingest;

/// <summary>
/// A host cluster and its vClusters as the ingest benchmark serves them: nodes on the host, per
/// vCluster the control plane objects (StatefulSet, Services, the <c>vc-&lt;name&gt;</c> kubeconfig
/// Secret) and, inside, namespaces, Deployments, ReplicaSets, Pods (about 2% crashlooping),
/// Services, Endpoints, ConfigMaps, Secrets and Events; every virtual Pod, Service and Endpoints
/// also gets its host twin named and annotated the way vCluster's syncer does.
/// </summary>
internal static class SyntheticFleet
{
    public const int PodsPerDeployment = 10;

    public static (int Objects, long JsonBytes) Populate(ApiServerSimulator host, IReadOnlyList<(ApiServerSimulator Simulator, string HostNamespace)> vclusters, int pods, int seed)
    {
        var random = new Random(seed);
        var objects = 0;
        long bytes = 0;
        void Apply(ApiServerSimulator simulator, JsonObject obj)
        {
            var stored = simulator.Apply(obj);
            objects++;
            bytes += Encoding.UTF8.GetByteCount(stored.ToJsonString());
        }

        var nodes = Math.Max(3, pods / 100);
        for (var n = 0; n < nodes; n++)
        {
            Apply(host, Node($"worker-{n}"));
        }

        for (var v = 0; v < vclusters.Count; v++)
        {
            var (simulator, hostNamespace) = vclusters[v];
            var name = simulator.ClusterName;
            Apply(host, Obj("v1", "Namespace", null, hostNamespace));
            Apply(host, ControlPlane(name, hostNamespace));
            Apply(host, KubeconfigSecret(name, hostNamespace));
            var podsHere = (pods / vclusters.Count) + (v < pods % vclusters.Count ? 1 : 0);
            foreach (var ns in new[] { "shop", "payments", "analytics" })
            {
                Apply(simulator, Obj("v1", "Namespace", null, ns));
            }

            for (var d = 0; d * PodsPerDeployment < podsHere; d++)
            {
                var ns = d % 3 == 0 ? "shop" : d % 3 == 1 ? "payments" : "analytics";
                var app = $"svc-{d}";
                var hash = random.Next(0x1000000).ToString("x7", CultureInfo.InvariantCulture);
                var replicas = Math.Min(PodsPerDeployment, podsHere - (d * PodsPerDeployment));
                Apply(simulator, Deployment(ns, app, replicas));
                Apply(simulator, ReplicaSet(ns, app, hash, replicas));
                var config = ConfigMap(ns, $"{app}-config");
                Apply(simulator, config);
                Apply(simulator, Secret(ns, $"{app}-credentials"));
                var service = Service(ns, app);
                Apply(simulator, service);
                Apply(host, Twin(service, name, hostNamespace));
                var endpoints = Obj("v1", "Endpoints", ns, app);
                Apply(simulator, endpoints);
                Apply(host, Twin(endpoints, name, hostNamespace));
                for (var p = 0; p < replicas; p++)
                {
                    var crashing = random.NextDouble() < 0.02;
                    var pod = Pod(ns, $"{app}-{hash}-{random.Next(0x100000):x5}", app, hash, $"worker-{random.Next(nodes)}", crashing);
                    Apply(simulator, pod);
                    Apply(host, Twin(pod, name, hostNamespace));
                    if (crashing)
                    {
                        Apply(simulator, Event(ns, pod));
                    }
                }
            }
        }

        return (objects, bytes);
    }

    /// <summary>Changes one pod in every vCluster (a restart count going up), as steady-state churn.</summary>
    public static void Churn(IReadOnlyList<(ApiServerSimulator Simulator, string HostNamespace)> vclusters, int round)
    {
        foreach (var (simulator, _) in vclusters)
        {
            var pods = simulator.List("v1", "Pod");
            if (pods.Count == 0)
            {
                continue;
            }

            var pod = pods[round % pods.Count];
            var status = pod["status"]!["containerStatuses"]![0]!.AsObject();
            status["restartCount"] = status["restartCount"]!.GetValue<int>() + 1;
            simulator.Apply(pod);
        }
    }

    private static JsonObject Obj(string apiVersion, string kind, string? ns, string name, JsonObject? labels = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        if (labels is not null)
        {
            metadata["labels"] = labels;
        }

        return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata };
    }

    private static JsonObject Node(string name)
    {
        var node = Obj("v1", "Node", null, name, new JsonObject { ["kubernetes.io/hostname"] = name, ["node-role.kubernetes.io/worker"] = "" });
        node["status"] = JsonNode.Parse("""
            {"capacity":{"cpu":"16","memory":"64Gi","pods":"110"},"allocatable":{"cpu":"15800m","memory":"62Gi","pods":"110"},
             "conditions":[{"type":"MemoryPressure","status":"False","reason":"KubeletHasSufficientMemory"},
                           {"type":"DiskPressure","status":"False","reason":"KubeletHasNoDiskPressure"},
                           {"type":"PIDPressure","status":"False","reason":"KubeletHasSufficientPID"},
                           {"type":"Ready","status":"True","reason":"KubeletReady","message":"kubelet is posting ready status"}],
             "nodeInfo":{"kubeletVersion":"v1.33.4","containerRuntimeVersion":"containerd://1.7.27","osImage":"Ubuntu 22.04.4 LTS"}}
            """);
        return node;
    }

    private static JsonObject ControlPlane(string name, string hostNamespace)
    {
        var labels = new JsonObject { [VClusterNaming.AppLabel] = VClusterNaming.AppLabelValue, [VClusterNaming.ReleaseLabel] = name };
        var statefulSet = Obj("apps/v1", "StatefulSet", hostNamespace, name, labels);
        statefulSet["spec"] = JsonNode.Parse($$$$"""{"replicas":1,"serviceName":"{{{{name}}}}-headless","selector":{"matchLabels":{"app":"vcluster","release":"{{{{name}}}}"}}}""");
        statefulSet["status"] = JsonNode.Parse("""{"replicas":1,"readyReplicas":1,"availableReplicas":1}""");
        return statefulSet;
    }

    private static JsonObject KubeconfigSecret(string name, string hostNamespace)
    {
        var secret = Obj("v1", "Secret", hostNamespace, VClusterNaming.KubeconfigSecretName(name), new JsonObject { [VClusterNaming.AppLabel] = VClusterNaming.AppLabelValue, [VClusterNaming.VClusterNameLabel] = name });
        var kubeconfig = $"apiVersion: v1\nkind: Config\nclusters:\n- name: {name}\n  cluster: {{server: 'https://localhost:8443'}}\ncontexts:\n- name: {name}\n  context: {{cluster: {name}, user: {name}}}\ncurrent-context: {name}\nusers:\n- name: {name}\n  user: {{token: bench-{name}}}\n";
        secret["data"] = new JsonObject { ["config"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(kubeconfig)) };
        return secret;
    }

    private static JsonObject Deployment(string ns, string app, int replicas)
    {
        var deployment = Obj("apps/v1", "Deployment", ns, app, new JsonObject { ["app"] = app });
        deployment["spec"] = JsonNode.Parse($$$$"""{"replicas":{{{{replicas}}}},"selector":{"matchLabels":{"app":"{{{{app}}}}"}},"template":{"metadata":{"labels":{"app":"{{{{app}}}}"}},"spec":{"containers":[{"name":"app","image":"registry.example.com/{{{{app}}}}:1.4.2","resources":{"requests":{"cpu":"100m","memory":"128Mi"},"limits":{"memory":"256Mi"}}}]}}}""");
        deployment["status"] = JsonNode.Parse($$$$"""{"replicas":{{{{replicas}}}},"readyReplicas":{{{{replicas}}}},"availableReplicas":{{{{replicas}}}},"updatedReplicas":{{{{replicas}}}},"conditions":[{"type":"Available","status":"True"},{"type":"Progressing","status":"True","reason":"NewReplicaSetAvailable"}]}""");
        return deployment;
    }

    private static JsonObject ReplicaSet(string ns, string app, string hash, int replicas)
    {
        var replicaSet = Obj("apps/v1", "ReplicaSet", ns, $"{app}-{hash}", new JsonObject { ["app"] = app, ["pod-template-hash"] = hash });
        replicaSet["metadata"]!["ownerReferences"] = JsonNode.Parse($$$$"""[{"apiVersion":"apps/v1","kind":"Deployment","name":"{{{{app}}}}","uid":"{{{{Guid.NewGuid()}}}}","controller":true}]""");
        replicaSet["spec"] = JsonNode.Parse($$$$"""{"replicas":{{{{replicas}}}},"selector":{"matchLabels":{"app":"{{{{app}}}}","pod-template-hash":"{{{{hash}}}}"}}}""");
        replicaSet["status"] = JsonNode.Parse($$$$"""{"replicas":{{{{replicas}}}},"readyReplicas":{{{{replicas}}}}}""");
        return replicaSet;
    }

    private static JsonObject ConfigMap(string ns, string name)
    {
        var configMap = Obj("v1", "ConfigMap", ns, name);
        configMap["data"] = new JsonObject { ["LOG_LEVEL"] = "info", ["FEATURE_FLAGS"] = "checkout-v2,async-payments", ["application.yaml"] = new string('#', 600) };
        return configMap;
    }

    private static JsonObject Secret(string ns, string name)
    {
        var secret = Obj("v1", "Secret", ns, name);
        secret["type"] = "Opaque";
        secret["data"] = new JsonObject { ["password"] = Convert.ToBase64String(Guid.NewGuid().ToByteArray()), ["username"] = "YXBw" };
        return secret;
    }

    private static JsonObject Service(string ns, string app)
    {
        var service = Obj("v1", "Service", ns, app, new JsonObject { ["app"] = app });
        service["spec"] = JsonNode.Parse($$$$"""{"selector":{"app":"{{{{app}}}}"},"ports":[{"name":"http","port":80,"targetPort":8080}],"type":"ClusterIP"}""");
        return service;
    }

    private static JsonObject Pod(string ns, string name, string app, string hash, string node, bool crashing)
    {
        var pod = Obj("v1", "Pod", ns, name, new JsonObject { ["app"] = app, ["pod-template-hash"] = hash });
        pod["metadata"]!["ownerReferences"] = JsonNode.Parse($$$$"""[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"{{{{app}}}}-{{{{hash}}}}","uid":"{{{{Guid.NewGuid()}}}}","controller":true}]""");
        pod["spec"] = JsonNode.Parse($$$$"""
            {"nodeName":"{{{{node}}}}","serviceAccountName":"default","containers":[{"name":"app","image":"registry.example.com/{{{{app}}}}:1.4.2",
              "env":[{"name":"LOG_LEVEL","valueFrom":{"configMapKeyRef":{"name":"{{{{app}}}}-config","key":"LOG_LEVEL"}}},{"name":"DB_PASSWORD","valueFrom":{"secretKeyRef":{"name":"{{{{app}}}}-credentials","key":"password"}}}],
              "ports":[{"containerPort":8080}],"readinessProbe":{"httpGet":{"path":"/ready","port":8080},"periodSeconds":5},
              "resources":{"requests":{"cpu":"100m","memory":"128Mi"},"limits":{"memory":"256Mi"}}}]}
            """);
        pod["status"] = crashing
            ? JsonNode.Parse("""
                {"phase":"Running","conditions":[{"type":"Ready","status":"False"}],"containerStatuses":[{"name":"app","ready":false,"restartCount":12,
                  "state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 5m0s restarting failed container"}},
                  "lastState":{"terminated":{"exitCode":1,"reason":"Error"}}}]}
                """)
            : JsonNode.Parse("""
                {"phase":"Running","conditions":[{"type":"Ready","status":"True"}],"containerStatuses":[{"name":"app","ready":true,"restartCount":0,
                  "state":{"running":{"startedAt":"2026-03-01T09:00:00Z"}}}]}
                """);
        return pod;
    }

    private static JsonObject Event(string ns, JsonObject pod)
    {
        var name = pod["metadata"]!["name"]!.GetValue<string>();
        var e = Obj("v1", "Event", ns, $"{name}.backoff");
        e["involvedObject"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["namespace"] = ns, ["name"] = name };
        e["reason"] = "BackOff";
        e["type"] = "Warning";
        e["message"] = "Back-off restarting failed container app";
        e["count"] = 12;
        return e;
    }

    private static JsonObject Twin(JsonObject virtualObject, string vcluster, string hostNamespace)
    {
        var twin = JsonNode.Parse(virtualObject.ToJsonString())!.AsObject();
        var metadata = twin["metadata"]!.AsObject();
        var name = metadata["name"]!.GetValue<string>();
        var ns = metadata["namespace"]!.GetValue<string>();
        var kind = twin["kind"]!.GetValue<string>();
        metadata["name"] = VClusterNaming.HostName(name, ns, vcluster);
        metadata["namespace"] = hostNamespace;
        metadata.Remove("ownerReferences");
        metadata.Remove("uid");
        metadata.Remove("resourceVersion");
        var labels = metadata["labels"] as JsonObject ?? [];
        labels[VClusterNaming.ManagedByLabel] = vcluster;
        labels[VClusterNaming.NamespaceLabel] = ns;
        metadata["labels"] = labels;
        metadata["annotations"] = new JsonObject
        {
            [VClusterNaming.ObjectNameAnnotation] = name,
            [VClusterNaming.ObjectNamespaceAnnotation] = ns,
            [VClusterNaming.ObjectKindAnnotation] = VClusterNaming.KindAnnotationValue("v1", kind),
            [VClusterNaming.ObjectHostNameAnnotation] = metadata["name"]!.GetValue<string>(),
            [VClusterNaming.ObjectHostNamespaceAnnotation] = hostNamespace,
        };
        return twin;
    }
}
