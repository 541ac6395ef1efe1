using System.Text.Json.Nodes;

namespace ChasiSre.Streams.Detection.Tests;

/// <summary>Small Kubernetes objects for detector tests: the fields detectors read, nothing else.</summary>
internal static class Objects
{
    public static string Time(int secondsFromT0) => TestClusters.T0.AddSeconds(secondsFromT0).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    public static JsonObject Deployment(string name, int replicas = 2, int ready = 2, int updated = -1, string ns = "shop", string? conditions = null, int progressDeadline = 600) => Parse($$$"""
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","uid":"uid-deploy-{{{name}}}","generation":2,"creationTimestamp":"{{{Time(-86400)}}}"},
         "spec":{"replicas":{{{replicas}}},"progressDeadlineSeconds":{{{progressDeadline}}},"selector":{"matchLabels":{"app":"{{{name}}}"} },
                 "template":{"metadata":{"labels":{"app":"{{{name}}}"} },"spec":{"containers":[{"name":"app","image":"registry.example.com/{{{name}}}:1","resources":{"requests":{"cpu":"100m"} } }]} } },
         "status":{"observedGeneration":2,"replicas":{{{replicas}}},"updatedReplicas":{{{(updated < 0 ? replicas : updated)}}},"readyReplicas":{{{ready}}},"availableReplicas":{{{ready}}},
                   "conditions":{{{conditions ?? "[]"}}} } }
        """);

    public static JsonObject ReplicaSet(string name, string deployment, int replicas = 2, string ns = "shop", string? conditions = null, int? readyReplicas = null, int? statusReplicas = null) => Parse($$$"""
        {"apiVersion":"apps/v1","kind":"ReplicaSet",
         "metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","uid":"uid-rs-{{{name}}}",
                     "ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"{{{deployment}}}","uid":"uid-deploy-{{{deployment}}}","controller":true}]},
         "spec":{"replicas":{{{replicas}}} },
         "status":{"replicas":{{{statusReplicas ?? (conditions is null ? replicas : 0)}}},"readyReplicas":{{{readyReplicas ?? replicas}}},"conditions":{{{conditions ?? "[]"}}} } }
        """);

    /// <summary>A pod owned by <paramref name="ownerKind"/>/<paramref name="ownerName"/> (uid uid-rs-NAME etc.), with one container status.</summary>
    public static JsonObject Pod(string name, string? ownerKind = "ReplicaSet", string? ownerName = "web-7d9f", string phase = "Running", bool ready = true,
        string? containerState = null, string ns = "shop", string node = "worker-1", string? lastState = null, int restarts = 0, string labels = "{\"app\":\"web\"}",
        string extraSpec = "", string extraStatus = "", string serviceAccount = "web")
    {
        var ownerUid = ownerKind switch { "ReplicaSet" => $"uid-rs-{ownerName}", "Job" => $"uid-job-{ownerName}", "StatefulSet" => $"uid-sts-{ownerName}", _ => $"uid-{ownerName}" };
        var owners = ownerKind is null ? "[]" : $$$"""[{"apiVersion":"apps/v1","kind":"{{{ownerKind}}}","name":"{{{ownerName}}}","uid":"{{{ownerUid}}}","controller":true}]""";
        var state = containerState ?? (phase == "Running" ? $$$"""{"running":{"startedAt":"{{{Time(-3600)}}}"} }""" : """{"waiting":{"reason":"ContainerCreating"}}""");
        return Parse($$$"""
            {"apiVersion":"v1","kind":"Pod",
             "metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","uid":"uid-pod-{{{name}}}","labels":{{{labels}}},"ownerReferences":{{{owners}}},"creationTimestamp":"{{{Time(-7200)}}}"},
             "spec":{"nodeName":"{{{node}}}","serviceAccountName":"{{{serviceAccount}}}","securityContext":{"runAsNonRoot":true},"containers":[{"name":"app","image":"registry.example.com/web:1"}]{{{extraSpec}}} },
             "status":{"phase":"{{{phase}}}","startTime":"{{{Time(-7200)}}}",
                       "conditions":[{"type":"PodScheduled","status":"True"},{"type":"Ready","status":"{{{(ready ? "True" : "False")}}}","lastTransitionTime":"{{{Time(-600)}}}"}],
                       "containerStatuses":[{"name":"app","ready":{{{(ready ? "true" : "false")}}},"restartCount":{{{restarts}}},"state":{{{state}}}{{{(lastState is null ? "" : $",\"lastState\":{lastState}")}}} }]{{{extraStatus}}} } }
            """);
    }

    public static JsonObject Event(string name, string involvedKind, string involvedName, string reason, string message, string type = "Warning", int count = 3, string ns = "shop", string? uid = null, int lastSeconds = -10) => Parse($$$"""
        {"apiVersion":"v1","kind":"Event","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},
         "involvedObject":{"kind":"{{{involvedKind}}}","name":"{{{involvedName}}}"{{{(involvedKind is "Node" ? "" : $",\"namespace\":\"{ns}\"")}}}{{{(uid is null ? "" : $",\"uid\":\"{uid}\"")}}} },
         "reason":"{{{reason}}}","message":{{{System.Text.Json.JsonSerializer.Serialize(message)}}},"type":"{{{type}}}","count":{{{count}}},
         "firstTimestamp":"{{{Time(-600)}}}","lastTimestamp":"{{{Time(lastSeconds)}}}"}
        """);

    public static JsonObject Service(string name, string selector = "{\"app\":\"web\"}", string ns = "shop") => Parse($$$"""
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","uid":"uid-svc-{{{name}}}"},
         "spec":{"selector":{{{selector}}},"ports":[{"port":80,"targetPort":8080}]} }
        """);

    public static JsonObject Endpoints(string name, string ready = "[]", string notReady = "[]", string ns = "shop") => Parse($$$"""
        {"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},
         "subsets":[{"addresses":{{{ready}}},"notReadyAddresses":{{{notReady}}},"ports":[{"port":8080}]}]}
        """);

    public static string Address(string pod, string ns = "shop") => $$$"""{"ip":"10.42.0.1","targetRef":{"kind":"Pod","name":"{{{pod}}}","namespace":"{{{ns}}}"} }""";

    public static JsonObject Node(string name, string conditions, string labels = "{}") => Parse($$$"""
        {"apiVersion":"v1","kind":"Node","metadata":{"name":"{{{name}}}","uid":"uid-node-{{{name}}}","labels":{{{labels}}} },"spec":{},
         "status":{"conditions":{{{conditions}}} } }
        """);

    public static string Condition(string type, string status, string reason = "", string message = "", int since = -600) =>
        $$$"""{"type":"{{{type}}}","status":"{{{status}}}","reason":"{{{reason}}}","message":"{{{message}}}","lastTransitionTime":"{{{Time(since)}}}","lastUpdateTime":"{{{Time(since)}}}"}""";

    public static string HealthyNodeConditions(string extra = "") =>
        "[" + string.Join(",", Condition("Ready", "True", "KubeletReady"), Condition("MemoryPressure", "False"), Condition("DiskPressure", "False"), Condition("PIDPressure", "False")) + extra + "]";
}
