using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ChasiSre.Executor;

/// <summary>
/// The executor's requests to one cluster through the official client, as JSON: read, merge-patch (object or
/// <c>scale</c>), create, delete, each with or without <c>dryRun=All</c>, and Events. Only the kinds of the
/// <see cref="ExecutorCatalog"/> are supported; an apiserver refusal becomes a <see cref="KubeApiException"/> with the
/// apiserver's own message.
/// </summary>
internal sealed class KubeApi(IKubernetes client, string fieldManager)
{
    private const string DryRunAll = "All";

    /// <summary>The object (or its scale), or null when it does not exist.</summary>
    public async Task<JsonObject?> GetAsync(KubeObjectRef target, bool scale, CancellationToken cancellationToken)
    {
        try
        {
            object result = (target.Kind, scale) switch
            {
                ("Pod", false) => await client.CoreV1.ReadNamespacedPodAsync(target.Name, target.Namespace, cancellationToken: cancellationToken),
                ("ConfigMap", false) => await client.CoreV1.ReadNamespacedConfigMapAsync(target.Name, target.Namespace, cancellationToken: cancellationToken),
                ("Node", false) => await client.CoreV1.ReadNodeAsync(target.Name, cancellationToken: cancellationToken),
                ("Deployment", false) => await client.AppsV1.ReadNamespacedDeploymentAsync(target.Name, target.Namespace, cancellationToken: cancellationToken),
                ("StatefulSet", false) => await client.AppsV1.ReadNamespacedStatefulSetAsync(target.Name, target.Namespace, cancellationToken: cancellationToken),
                ("DaemonSet", false) => await client.AppsV1.ReadNamespacedDaemonSetAsync(target.Name, target.Namespace, cancellationToken: cancellationToken),
                ("Job", false) => await client.BatchV1.ReadNamespacedJobAsync(target.Name, target.Namespace, cancellationToken: cancellationToken),
                ("CronJob", false) => await client.BatchV1.ReadNamespacedCronJobAsync(target.Name, target.Namespace, cancellationToken: cancellationToken),
                ("Deployment", true) => await client.AppsV1.ReadNamespacedDeploymentScaleAsync(target.Name, target.Namespace, cancellationToken: cancellationToken),
                ("StatefulSet", true) => await client.AppsV1.ReadNamespacedStatefulSetScaleAsync(target.Name, target.Namespace, cancellationToken: cancellationToken),
                _ => throw Unsupported(target, scale ? "read the scale of" : "read"),
            };
            return ToJson(result);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (HttpOperationException e)
        {
            throw Refused("GET", target, e);
        }
    }

    /// <summary>Makes <paramref name="write"/> (or only validates it, with <paramref name="dryRun"/>); the apiserver's answer, or null for a delete answered with a bare Status.</summary>
    public async Task<JsonObject?> WriteAsync(KubeWrite write, bool dryRun, CancellationToken cancellationToken)
    {
        var dry = dryRun ? DryRunAll : null;
        var target = write.Target;
        try
        {
            switch (write)
            {
                case KubeMergePatch patch:
                    {
                        var body = new V1Patch(patch.Body.ToJsonString(), V1Patch.PatchType.MergePatch);
                        object result = (target.Kind, patch.Scale) switch
                        {
                            ("ConfigMap", false) => await client.CoreV1.PatchNamespacedConfigMapAsync(body, target.Name, target.Namespace, dryRun: dry, fieldManager: fieldManager, cancellationToken: cancellationToken),
                            ("Node", false) => await client.CoreV1.PatchNodeAsync(body, target.Name, dryRun: dry, fieldManager: fieldManager, cancellationToken: cancellationToken),
                            ("Deployment", false) => await client.AppsV1.PatchNamespacedDeploymentAsync(body, target.Name, target.Namespace, dryRun: dry, fieldManager: fieldManager, cancellationToken: cancellationToken),
                            ("StatefulSet", false) => await client.AppsV1.PatchNamespacedStatefulSetAsync(body, target.Name, target.Namespace, dryRun: dry, fieldManager: fieldManager, cancellationToken: cancellationToken),
                            ("DaemonSet", false) => await client.AppsV1.PatchNamespacedDaemonSetAsync(body, target.Name, target.Namespace, dryRun: dry, fieldManager: fieldManager, cancellationToken: cancellationToken),
                            ("CronJob", false) => await client.BatchV1.PatchNamespacedCronJobAsync(body, target.Name, target.Namespace, dryRun: dry, fieldManager: fieldManager, cancellationToken: cancellationToken),
                            ("Deployment", true) => await client.AppsV1.PatchNamespacedDeploymentScaleAsync(body, target.Name, target.Namespace, dryRun: dry, fieldManager: fieldManager, cancellationToken: cancellationToken),
                            ("StatefulSet", true) => await client.AppsV1.PatchNamespacedStatefulSetScaleAsync(body, target.Name, target.Namespace, dryRun: dry, fieldManager: fieldManager, cancellationToken: cancellationToken),
                            _ => throw Unsupported(target, "patch"),
                        };
                        return ToJson(result);
                    }

                case KubeCreate create when target.Kind == "Job":
                    {
                        var job = KubernetesJson.Deserialize<V1Job>(create.Body.ToJsonString());
                        return ToJson(await client.BatchV1.CreateNamespacedJobAsync(job, target.Namespace, dryRun: dry, fieldManager: fieldManager, cancellationToken: cancellationToken));
                    }

                case KubeDelete delete:
                    {
                        var options = new V1DeleteOptions
                        {
                            Preconditions = new V1Preconditions { Uid = delete.Uid, ResourceVersion = delete.ResourceVersion.Length > 0 ? delete.ResourceVersion : null },
                            PropagationPolicy = "Background",
                            DryRun = dryRun ? [DryRunAll] : null,
                        };
                        switch (target.Kind)
                        {
                            case "Pod":
                                return ToJson(await client.CoreV1.DeleteNamespacedPodAsync(target.Name, target.Namespace, options, dryRun: dry, cancellationToken: cancellationToken));
                            case "Job":
                                await client.BatchV1.DeleteNamespacedJobAsync(target.Name, target.Namespace, options, dryRun: dry, cancellationToken: cancellationToken);
                                return null;
                            default:
                                throw Unsupported(target, "delete");
                        }
                    }

                default:
                    throw Unsupported(target, write.GetType().Name);
            }
        }
        catch (HttpOperationException e)
        {
            throw Refused(write switch { KubeMergePatch => "PATCH", KubeCreate => "POST", _ => "DELETE" } + (dryRun ? " (dryRun=All)" : ""), target, e);
        }
    }

    /// <summary>Writes a core/v1 Event.</summary>
    public async Task CreateEventAsync(Corev1Event kubeEvent, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.CreateNamespacedEventAsync(kubeEvent, kubeEvent.Metadata.NamespaceProperty, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e)
        {
            throw Refused("POST", new KubeObjectRef("v1", "Event", kubeEvent.Metadata.NamespaceProperty, kubeEvent.Metadata.Name), e);
        }
    }

    private static JsonObject ToJson(object value) => JsonNode.Parse(KubernetesJson.Serialize(value))!.AsObject();

    private static NotSupportedException Unsupported(KubeObjectRef target, string verb) => new($"the executor does not {verb} {target.Kind} objects");

    private static KubeApiException Refused(string verb, KubeObjectRef target, HttpOperationException e)
    {
        var message = "";
        try
        {
            message = JsonNode.Parse(e.Response.Content ?? "")?["message"]?.GetValue<string>() ?? "";
        }
        catch (System.Text.Json.JsonException)
        {
            message = e.Response.Content ?? "";
        }

        var status = e.Response.StatusCode;
        return new KubeApiException(status, $"{verb} {target}: {(int)status} {status}{(message.Length > 0 ? ": " + message : "")}", e);
    }
}
