using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>
/// Mutating and validating webhook configurations whose backend cannot answer: the Service missing, selecting no pods, or
/// its pods not Running (k8sgpt's checks), and what k8sgpt leaves unchecked: a Service-backed webhook without a caBundle
/// (the API server cannot verify it), and failurePolicy (Fail blocks every matching request while the backend is down:
/// an error; Ignore lets requests through unchecked: a warning). URL webhooks point outside the cluster and are not probed.
/// </summary>
public sealed class AdmissionWebhookDetector : IDetector
{
    public string Name => "admission.webhook";

    public IReadOnlyCollection<string> Kinds { get; } = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        if (!Kinds.Contains(subject.Ref.Kind))
        {
            yield break;
        }

        var reference = subject.Ref;
        foreach (var webhook in KubeJson.Items(subject.Json, "webhooks"))
        {
            var name = KubeJson.Str(webhook, "name") ?? "?";
            var failurePolicy = KubeJson.Str(webhook, "failurePolicy") ?? "Fail";
            var severity = failurePolicy == "Fail" ? Severity.Error : Severity.Warning;
            if (KubeJson.Str(webhook, "clientConfig", "service", "name") is not { } serviceName)
            {
                continue;
            }

            var serviceNamespace = KubeJson.Str(webhook, "clientConfig", "service", "namespace") ?? "default";
            var policyLine = $"webhook {name}: service {serviceNamespace}/{serviceName}, failurePolicy {failurePolicy}";
            var service = state.Find(reference.Cluster, "Service", serviceNamespace, serviceName);
            if (service is null)
            {
                yield return Make(reference, name, severity, "ServiceMissing", $"webhook {name} calls Service {serviceNamespace}/{serviceName}, which does not exist", [policyLine, $"Service {serviceNamespace}/{serviceName} not found"], failurePolicy);
                continue;
            }

            if (string.IsNullOrEmpty(KubeJson.Str(webhook, "clientConfig", "caBundle")))
            {
                yield return Make(reference, name, Severity.Warning, "MissingCABundle", $"webhook {name} has no caBundle, so the API server cannot verify its Service's certificate", [policyLine, "clientConfig.caBundle empty"], failurePolicy, service.Ref);
            }

            var selector = KubeJson.Get(service.Json, "spec", "selector");
            if (selector is null || KubeJson.Map(service.Json, "spec", "selector").Count == 0)
            {
                continue;
            }

            var pods = state.List(reference.Cluster, "Pod", serviceNamespace).Where(p => KubeJson.Selects(selector, KubeJson.Map(p.Json, "metadata", "labels"))).ToList();
            if (pods.Count == 0)
            {
                yield return Make(reference, name, severity, "NoBackendPods", $"webhook {name}'s Service {serviceNamespace}/{serviceName} selects no pods", [policyLine, "no pod matches the Service selector"], failurePolicy, service.Ref);
                continue;
            }

            var notRunning = pods.Where(p => KubeJson.Str(p.Json, "status", "phase") != "Running").ToList();
            if (notRunning.Count == pods.Count)
            {
                yield return Make(reference, name, severity, "BackendNotRunning", $"webhook {name}'s backend pods are not running",
                    [policyLine, .. notRunning.Take(3).Select(PodFindings.StatusLine)], failurePolicy, Workloads.Of(notRunning[0], state).Ref);
            }
        }
    }

    private Finding Make(ObjectRef reference, string webhook, Severity severity, string reason, string what, IReadOnlyList<string> evidence, string failurePolicy, ObjectRef? cause = null) =>
        new(Name, IncidentCategory.AdmissionRejected, reference, severity, reason,
            $"{reference.Kind} {reference.Name}: {what}{(failurePolicy == "Fail" ? "; with failurePolicy Fail matching requests are rejected" : "")}.", evidence, cause)
        {
            Attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["webhook"] = webhook, ["failurePolicy"] = failurePolicy },
        };
}
