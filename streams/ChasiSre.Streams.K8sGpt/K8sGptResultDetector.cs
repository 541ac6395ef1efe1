using ChasiSre.Streams.Detection;

namespace ChasiSre.Streams.K8sGpt;

/// <summary>
/// Reads k8sgpt-operator <c>Result</c> objects (<c>core.k8sgpt.ai</c>), which ingest publishes as
/// ordinary snapshots where the CRD exists, and reports each as a finding about the object it names
/// (same cluster), categorized by <see cref="K8sGptCategories"/>, with the masked error texts as
/// evidence and <c>source=k8sgpt</c>. A Result of another API group (same kind name) is ignored.
/// </summary>
public sealed class K8sGptResultDetector : IDetector
{
    /// <summary>The API group of k8sgpt-operator's Result.</summary>
    public const string ApiGroup = "core.k8sgpt.ai";

    public string Name => "k8sgpt.result";

    public IReadOnlyCollection<string> Kinds { get; } = ["Result"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        if (subject.Ref.Kind != "Result" || !IsK8sGpt(subject.Ref.ApiVersion) || K8sGptResult.FromResultObject(subject.Json) is not { } result)
        {
            return [];
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["k8sgpt.result"] = subject.Ref.Namespace.Length == 0 ? subject.Ref.Name : $"{subject.Ref.Namespace}/{subject.Ref.Name}",
        };
        if (subject.Json.TryGetProperty("spec", out var spec) && spec.TryGetProperty("backend", out var backend)
            && backend.ValueKind == System.Text.Json.JsonValueKind.String && backend.GetString() is { Length: > 0 } backendName)
        {
            attributes["k8sgpt.backend"] = backendName;
        }

        return K8sGptFindings.Create(Name, result, subject.Ref, state, attributes) is { } finding ? [finding] : [];
    }

    private static bool IsK8sGpt(string apiVersion) =>
        apiVersion.Length == 0 || apiVersion.StartsWith(ApiGroup + "/", StringComparison.Ordinal);
}
