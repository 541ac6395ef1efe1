using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Simulator.Tests;

/// <summary>
/// A small, realistic namespace: a Deployment and its ReplicaSet, a Pod of that ReplicaSet in
/// CrashLoopBackOff (5 restarts, last terminated with exit code 1), a Warning BackOff Event
/// about that pod, and the crashed instance's log.
/// </summary>
internal static class ShopScenario
{
    public const string Namespace = "shop";
    public const string Deployment = "checkout";
    public const string ReplicaSet = "checkout-6d4cf56db6";
    public const string Pod = "checkout-6d4cf56db6-x7k2p";
    public const string Container = "checkout";
    public const int Restarts = 5;

    public static readonly string[] PreviousLog =
    [
        "2026-11-28T03:10:01Z INFO starting checkout service on :8080",
        "2026-11-28T03:10:02Z ERROR cannot connect to postgres at db.shop.svc:5432: connection refused",
        "2026-11-28T03:10:02Z FATAL exiting with code 1",
    ];

    public static JsonObject PodObject(DateTimeOffset now, int restarts = Restarts, string waitingReason = "CrashLoopBackOff") => JsonNode.Parse($$"""
        {
          "apiVersion": "v1",
          "kind": "Pod",
          "metadata": {
            "name": "{{Pod}}",
            "namespace": "{{Namespace}}",
            "labels": { "app": "checkout", "pod-template-hash": "6d4cf56db6" },
            "creationTimestamp": "{{Ts(now.AddMinutes(-12))}}",
            "ownerReferences": [ { "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "{{ReplicaSet}}", "uid": "3f1f0d5e-1111-4a4a-9c9c-000000000002", "controller": true, "blockOwnerDeletion": true } ]
          },
          "spec": {
            "nodeName": "node-a",
            "restartPolicy": "Always",
            "serviceAccountName": "default",
            "containers": [ { "name": "{{Container}}", "image": "registry.local/shop/checkout:2.4.1", "ports": [ { "containerPort": 8080, "protocol": "TCP" } ] } ]
          },
          "status": {
            "phase": "Running",
            "podIP": "10.244.1.17",
            "hostIP": "172.18.0.3",
            "startTime": "{{Ts(now.AddMinutes(-12))}}",
            "conditions": [
              { "type": "Ready", "status": "False", "reason": "ContainersNotReady" },
              { "type": "PodScheduled", "status": "True" }
            ],
            "containerStatuses": [ {
              "name": "{{Container}}",
              "ready": false,
              "started": false,
              "restartCount": {{restarts}},
              "image": "registry.local/shop/checkout:2.4.1",
              "imageID": "registry.local/shop/checkout@sha256:0f3c",
              "containerID": "containerd://6a1e",
              "state": { "waiting": { "reason": "{{waitingReason}}", "message": "back-off 2m40s restarting failed container={{Container}} pod={{Pod}}_{{Namespace}}" } },
              "lastState": { "terminated": { "exitCode": 1, "reason": "Error", "startedAt": "{{Ts(now.AddMinutes(-3))}}", "finishedAt": "{{Ts(now.AddMinutes(-2))}}", "containerID": "containerd://6a1e" } }
            } ]
          }
        }
        """)!.AsObject();

    public static void Load(ApiServerSimulator simulator, DateTimeOffset now)
    {
        simulator.Apply(TestObjects.Namespace(Namespace));
        simulator.Apply(JsonNode.Parse($$"""
            {
              "apiVersion": "apps/v1",
              "kind": "Deployment",
              "metadata": { "name": "{{Deployment}}", "namespace": "{{Namespace}}", "labels": { "app": "checkout" }, "creationTimestamp": "{{Ts(now.AddHours(-2))}}" },
              "spec": {
                "replicas": 1,
                "selector": { "matchLabels": { "app": "checkout" } },
                "template": { "metadata": { "labels": { "app": "checkout" } }, "spec": { "containers": [ { "name": "{{Container}}", "image": "registry.local/shop/checkout:2.4.1" } ] } }
              },
              "status": { "replicas": 1, "updatedReplicas": 1, "readyReplicas": 0, "availableReplicas": 0, "unavailableReplicas": 1 }
            }
            """)!.AsObject());
        simulator.Apply(JsonNode.Parse($$"""
            {
              "apiVersion": "apps/v1",
              "kind": "ReplicaSet",
              "metadata": {
                "name": "{{ReplicaSet}}", "namespace": "{{Namespace}}", "uid": "3f1f0d5e-1111-4a4a-9c9c-000000000002",
                "labels": { "app": "checkout", "pod-template-hash": "6d4cf56db6" },
                "creationTimestamp": "{{Ts(now.AddMinutes(-12))}}",
                "ownerReferences": [ { "apiVersion": "apps/v1", "kind": "Deployment", "name": "{{Deployment}}", "uid": "3f1f0d5e-1111-4a4a-9c9c-000000000001", "controller": true } ]
              },
              "spec": {
                "replicas": 1,
                "selector": { "matchLabels": { "app": "checkout", "pod-template-hash": "6d4cf56db6" } },
                "template": { "metadata": { "labels": { "app": "checkout" } }, "spec": { "containers": [ { "name": "{{Container}}", "image": "registry.local/shop/checkout:2.4.1" } ] } }
              },
              "status": { "replicas": 1, "fullyLabeledReplicas": 1, "readyReplicas": 0, "availableReplicas": 0 }
            }
            """)!.AsObject());
        var pod = simulator.Apply(PodObject(now));
        simulator.Apply(JsonNode.Parse($$"""
            {
              "apiVersion": "v1",
              "kind": "Event",
              "metadata": { "name": "{{Pod}}.17f1c2d3e4a5b6c7", "namespace": "{{Namespace}}" },
              "involvedObject": { "apiVersion": "v1", "kind": "Pod", "name": "{{Pod}}", "namespace": "{{Namespace}}", "uid": "{{pod["metadata"]!["uid"]}}", "fieldPath": "spec.containers{{{Container}}}" },
              "reason": "BackOff",
              "message": "Back-off restarting failed container {{Container}} in pod {{Pod}}_{{Namespace}}({{pod["metadata"]!["uid"]}})",
              "source": { "component": "kubelet", "host": "node-a" },
              "firstTimestamp": "{{Ts(now.AddMinutes(-10))}}",
              "lastTimestamp": "{{Ts(now.AddMinutes(-1))}}",
              "count": 23,
              "type": "Warning",
              "reportingComponent": "kubelet",
              "reportingInstance": "node-a"
            }
            """)!.AsObject());
        simulator.SetLogs(Namespace, Pod, Container, previous: true, PreviousLog);
        simulator.SetLogs(Namespace, Pod, Container, previous: false, ["2026-11-28T03:12:01Z INFO starting checkout service on :8080"]);
    }

    private static string Ts(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
