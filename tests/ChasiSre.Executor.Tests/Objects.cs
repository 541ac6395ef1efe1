using System.Text.Json.Nodes;

namespace ChasiSre.Executor.Tests;

/// <summary>The objects the catalog actions work on, as the simulator stores them (NAME and NS are filled in).</summary>
internal static class Objects
{
    public static JsonObject Pod(string name, bool controlled = true)
    {
        var pod = Parse("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"NAME","namespace":"NS","labels":{"app":"web"},
             "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-7d9c","uid":"0d1b6a52-1c1e-4b8e-9a51-4c1f0e7e2a10","controller":true}]},
             "spec":{"containers":[{"name":"app","image":"shop/web:1.4","env":[{"name":"DB_PASSWORD","value":"hunter2"},{"name":"MODE","value":"live"}]}]},
             "status":{"phase":"Running"}}
            """, name);
        if (!controlled)
        {
            pod["metadata"]!.AsObject().Remove("ownerReferences");
        }

        return pod;
    }

    public static JsonObject Deployment(string name, int replicas = 2, string? restartedAt = "2026-11-01T10:00:00Z")
    {
        var deployment = Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"NAME","namespace":"NS"},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"NAME"}},
               "template":{"metadata":{"labels":{"app":"NAME"},"annotations":{}},
                 "spec":{"containers":[{"name":"app","image":"shop/NAME:1.4"}]}}},
             "status":{"replicas":2,"readyReplicas":2}}
            """, name);
        deployment["spec"]!["replicas"] = replicas;
        if (restartedAt is not null)
        {
            deployment["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"] = restartedAt;
        }

        return Reparse(deployment);
    }

    public static JsonObject ConfigMap(string name) => Parse("""
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"NAME","namespace":"NS"},
         "data":{"LOG_LEVEL":"info","api_token":"s3cr3t-value"}}
        """, name);

    public static JsonObject FailedJob(string name) => Parse("""
        {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"NAME","namespace":"NS",
           "labels":{"app":"report","controller-uid":"6a3c1f1e-0000-4000-8000-000000000001","job-name":"NAME"}},
         "spec":{"backoffLimit":2,"selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"6a3c1f1e-0000-4000-8000-000000000001"}},
           "template":{"metadata":{"labels":{"app":"report","controller-uid":"6a3c1f1e-0000-4000-8000-000000000001","batch.kubernetes.io/controller-uid":"6a3c1f1e-0000-4000-8000-000000000001","job-name":"NAME","batch.kubernetes.io/job-name":"NAME"}},
             "spec":{"restartPolicy":"Never","containers":[{"name":"report","image":"shop/report:2.0"}]}}},
         "status":{"failed":3,"conditions":[{"type":"Failed","status":"True","reason":"BackoffLimitExceeded"}]}}
        """, name);

    public static JsonObject CronJob(string name, bool suspended)
    {
        var cronJob = Parse("""
            {"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"NAME","namespace":"NS"},
             "spec":{"schedule":"*/5 * * * *","suspend":false,
               "jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"sync","image":"shop/sync:1.0"}]}}}}}}
            """, name);
        cronJob["spec"]!["suspend"] = suspended;
        return Reparse(cronJob);
    }

    public static JsonObject Node(string name, bool cordoned)
    {
        var node = Parse("""
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"NAME","labels":{"kubernetes.io/hostname":"NAME"}},
             "spec":{},
             "status":{"conditions":[{"type":"Ready","status":"True"}]}}
            """, name);
        if (cordoned)
        {
            node["spec"]!["unschedulable"] = true;
        }

        return Reparse(node);
    }

    private static JsonObject Parse(string json, string name) =>
        JsonNode.Parse(json.Replace("NAME", name, StringComparison.Ordinal).Replace("\"NS\"", "\"" + FlowHarness.Namespace + "\"", StringComparison.Ordinal))!.AsObject();

    /// <summary>Values set from code become JSON-backed values again, as a request body would be.</summary>
    private static JsonObject Reparse(JsonObject obj) => JsonNode.Parse(obj.ToJsonString())!.AsObject();
}
