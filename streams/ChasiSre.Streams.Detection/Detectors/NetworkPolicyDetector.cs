using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>k8sgpt's NetworkPolicy checks: an empty podSelector with an allow-everything rule (the policy opens every pod
/// of the namespace; an empty selector without rules is the usual default-deny and not a finding), and a selector that
/// matches no pod.</summary>
public sealed class NetworkPolicyDetector : IDetector
{
    private static readonly string[] Directions = ["ingress", "egress"];

    public string Name => "networkpolicy.selection";

    public IReadOnlyCollection<string> Kinds { get; } = ["NetworkPolicy"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        if (subject.Ref.Kind != "NetworkPolicy")
        {
            yield break;
        }

        var reference = subject.Ref;
        var selector = KubeJson.Get(subject.Json, "spec", "podSelector");
        if (selector is null || KubeJson.IsEmptySelector(selector))
        {
            var allowAll = Directions
                .Where(d => KubeJson.Items(subject.Json, "spec", d).Any(rule => rule.ValueKind == System.Text.Json.JsonValueKind.Object && !rule.EnumerateObject().Any()))
                .ToList();
            if (allowAll.Count > 0)
            {
                yield return new Finding(Name, IncidentCategory.NetworkService, reference, Severity.Warning, "AllowsAll",
                    $"{Refs.Describe(reference)} applies to every pod in {reference.Namespace} and allows all {string.Join(" and ", allowAll)} traffic.",
                    [$"podSelector {{}}, {string.Join(", ", allowAll.Select(d => $"{d}: [{{}}]"))}"]);
            }

            yield break;
        }

        var matches = state.List(reference.Cluster, "Pod", reference.Namespace).Any(p => KubeJson.Selects(selector, KubeJson.Map(p.Json, "metadata", "labels")));
        if (!matches)
        {
            yield return new Finding(Name, IncidentCategory.NetworkService, reference, Severity.Info, "SelectsNoPods",
                $"{Refs.Describe(reference)} selects no pod.", [$"podSelector {selector.Value.GetRawText()} matches no pod in {reference.Namespace}"]);
        }
    }
}
