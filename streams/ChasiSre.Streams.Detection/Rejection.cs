using System.Text.RegularExpressions;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection;

/// <summary>Why the API server refused to create an object, read from a FailedCreate / SyncError message.</summary>
/// <param name="Category">QuotaExceeded, AdmissionRejected or (unrecognised) <paramref name="Category"/> as given.</param>
/// <param name="Reason">ExceededQuota, LimitRange, PodSecurity, WebhookDenied or the fallback reason.</param>
/// <param name="Cause">The ResourceQuota, LimitRange, Namespace or webhook configuration that refused, when known.</param>
/// <param name="Detail">The quota or webhook name, or the PodSecurity level.</param>
internal sealed record Rejection(IncidentCategory Category, string Reason, ObjectRef? Cause, string? Detail);

/// <summary>Classifies admission and quota rejection messages (ResourceQuota, LimitRange, PodSecurity, webhooks).</summary>
internal static partial class RejectionClassifier
{
    private static readonly string[] WebhookKinds = ["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"];

    /// <summary>Classifies <paramref name="message"/>; the refusing object is looked up in <paramref name="cluster"/>/<paramref name="objectNamespace"/>
    /// (for a vCluster twin: the host cluster and the vCluster's host namespace).</summary>
    public static Rejection? Classify(string message, IClusterState state, ObjectRef near, string cluster, string objectNamespace, Layer layer)
    {
        var quota = QuotaPattern().Match(message);
        if (quota.Success)
        {
            var name = quota.Groups["name"].Value;
            return new Rejection(IncidentCategory.QuotaExceeded, "ExceededQuota", Lookup(state, near, cluster, layer, "v1", "ResourceQuota", objectNamespace, name), name);
        }

        if (message.Contains("LimitRange", StringComparison.Ordinal) || LimitRangePattern().IsMatch(message))
        {
            var limitRange = state.List(cluster, "LimitRange", objectNamespace).OrderBy(l => l.Ref.Name, StringComparer.Ordinal).FirstOrDefault();
            return new Rejection(IncidentCategory.QuotaExceeded, "LimitRange", limitRange?.Ref, limitRange?.Ref.Name);
        }

        if (message.Contains("violates PodSecurity", StringComparison.Ordinal))
        {
            var level = PodSecurityPattern().Match(message) is { Success: true } m ? m.Groups["level"].Value : null;
            return new Rejection(IncidentCategory.AdmissionRejected, "PodSecurity", Lookup(state, near, cluster, layer, "v1", "Namespace", null, objectNamespace), level);
        }

        var webhook = WebhookPattern().Match(message);
        if (webhook.Success)
        {
            var name = webhook.Groups["name"].Value;
            var configuration = WebhookKinds
                .SelectMany(kind => state.List(cluster, kind))
                .FirstOrDefault(c => KubeJson.Items(c.Json, "webhooks").Any(w => KubeJson.Str(w, "name") == name));
            return new Rejection(IncidentCategory.AdmissionRejected, "WebhookDenied", configuration?.Ref, name);
        }

        return null;
    }

    private static ObjectRef Lookup(IClusterState state, ObjectRef near, string cluster, Layer layer, string apiVersion, string kind, string? objectNamespace, string name)
    {
        if (state.Find(cluster, kind, objectNamespace, name) is { } found)
        {
            return found.Ref;
        }

        return layer == Layer.Host && near.Layer != Layer.Host
            ? Refs.Host(state, near, apiVersion, kind, objectNamespace, name)
            : Refs.Sibling(near, apiVersion, kind, objectNamespace, name);
    }

    [GeneratedRegex(@"exceeded quota: (?<name>[a-z0-9]([-a-z0-9.]*[a-z0-9])?)", RegexOptions.CultureInvariant)]
    private static partial Regex QuotaPattern();

    [GeneratedRegex(@"(maximum|minimum) (cpu|memory|ephemeral-storage|storage) usage per (Container|Pod)|(limit|request) to (request|limit) ratio", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex LimitRangePattern();

    [GeneratedRegex(@"violates PodSecurity ""(?<level>[a-z]+)", RegexOptions.CultureInvariant)]
    private static partial Regex PodSecurityPattern();

    [GeneratedRegex(@"admission webhook ""(?<name>[^""]+)"" denied", RegexOptions.CultureInvariant)]
    private static partial Regex WebhookPattern();
}
