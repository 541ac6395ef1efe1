using System.Text.Json.Nodes;
using ChasiSre.Ingest;

namespace ChasiSre.Cli.Bench.Ingest;

/// <summary>
/// k8sgpt's Kubernetes API call pattern for one <c>k8sgpt analyze</c> (v0.4.36 core analyzers,
/// ../shared/K8SGPT-PARITY.md), replayed against the same simulators so its request count stands
/// next to the watchers': no informers and no pagination; every scan re-lists everything; Pods
/// listed four times; an Events list per unhealthy container (Pod analyzer) and per Endpoints
/// object healthy or not (Service analyzer); Gets per Ingress backend and TLS secret, per
/// StatefulSet Service and StorageClass, per DaemonSet pull secret and per HPA target; and with
/// the Log analyzer, a GetLogs per container.
/// </summary>
internal static class K8sGptScan
{
    private static readonly KubeResource Endpoints = new("", "v1", "endpoints", "Endpoints", true);
    private static readonly KubeResource Services = new("", "v1", "services", "Service", true);
    private static readonly KubeResource Ingresses = new("networking.k8s.io", "v1", "ingresses", "Ingress", true);
    private static readonly KubeResource StorageClasses = new("storage.k8s.io", "v1", "storageclasses", "StorageClass", false);

    /// <summary>Runs one scan of one cluster; returns the number of requests it made.</summary>
    public static async Task<int> ScanAsync(KubeApiClient client, bool logAnalyzer, CancellationToken cancellationToken)
    {
        var requests = 0;
        async Task<IReadOnlyList<JsonObject>> List(KubeResource resource, string? ns = null, string? fieldSelector = null)
        {
            requests++;
            using var page = await client.ListPageAsync(resource, 0, null, ns, fieldSelector, cancellationToken: cancellationToken);
            // k8sgpt decodes every list into typed objects; a tree per item is the closest equivalent.
            return [.. page.Items.Select(i => JsonObject.Create(i.Clone())!)];
        }

        async Task Get(KubeResource resource, string? ns, string name)
        {
            requests++;
            using var found = await client.GetAsync(resource, ns, name, cancellationToken);
        }

        // Pod analyzer: list, then an Events list per unhealthy container.
        var pods = await List(KubeResources.Pods);
        foreach (var pod in pods)
        {
            foreach (var status in pod["status"]?["containerStatuses"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                if (status["ready"]?.GetValue<bool>() != true)
                {
                    await List(KubeResources.Events, Namespace(pod), $"involvedObject.name={Name(pod)}");
                }
            }
        }

        // Three more pod lists per scan (ConfigMap usage, StatefulSet ordinals, webhook selectors).
        for (var i = 0; i < 3; i++)
        {
            await List(KubeResources.Pods);
        }

        foreach (var resource in KubeResources.Default.Where(r => r.Kind is "Deployment" or "ReplicaSet" or "Job" or "CronJob" or "Node" or "PersistentVolumeClaim" or "ConfigMap" or "MutatingWebhookConfiguration" or "ValidatingWebhookConfiguration"))
        {
            await List(resource);
        }

        // Service analyzer: Endpoints, then an Events list per Endpoints object, healthy or not.
        foreach (var endpoints in await List(Endpoints))
        {
            await List(KubeResources.Events, Namespace(endpoints), $"involvedObject.name={Name(endpoints)}");
        }

        foreach (var ingress in await List(Ingresses))
        {
            foreach (var rule in ingress["spec"]?["rules"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                foreach (var path in rule["http"]?["paths"]?.AsArray().OfType<JsonObject>() ?? [])
                {
                    if (path["backend"]?["service"]?["name"]?.GetValue<string>() is { } service)
                    {
                        await Get(Services, Namespace(ingress), service);
                    }
                }
            }
        }

        foreach (var statefulSet in await List(KubeResources.StatefulSets))
        {
            if (statefulSet["spec"]?["serviceName"]?.GetValue<string>() is { Length: > 0 } service)
            {
                await Get(Services, Namespace(statefulSet), service);
            }

            foreach (var template in statefulSet["spec"]?["volumeClaimTemplates"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                if (template["spec"]?["storageClassName"]?.GetValue<string>() is { } storageClass)
                {
                    await Get(StorageClasses, null, storageClass);
                }
            }
        }

        foreach (var daemonSet in await List(new KubeResource("apps", "v1", "daemonsets", "DaemonSet", true)))
        {
            foreach (var secret in daemonSet["spec"]?["template"]?["spec"]?["imagePullSecrets"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                await Get(KubeResources.Secrets, Namespace(daemonSet), secret["name"]!.GetValue<string>());
            }
        }

        if (logAnalyzer)
        {
            foreach (var pod in pods)
            {
                foreach (var container in pod["spec"]?["containers"]?.AsArray().OfType<JsonObject>() ?? [])
                {
                    requests++;
                    try
                    {
                        await client.GetLogAsync(Namespace(pod)!, Name(pod), container["name"]!.GetValue<string>(), previous: false, tailLines: 100, limitBytes: 64 * 1024, cancellationToken);
                    }
                    catch (KubeApiException)
                    {
                        // A container without a log answers 400; the request was still made, which is what is counted.
                    }
                }
            }
        }

        return requests;
    }

    private static string? Namespace(JsonObject obj) => obj["metadata"]?["namespace"]?.GetValue<string>();

    private static string Name(JsonObject obj) => obj["metadata"]!["name"]!.GetValue<string>();
}
