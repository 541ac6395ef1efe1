using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>
/// A vCluster's control plane on the host (StatefulSet or Deployment labelled app=vcluster, release=NAME, and its pods):
/// not ready, containers crashing, OOMKilled (now or recently) or restarting often, the syncer unable to reach the virtual
/// API (<c>couldn't retrieve virtual cluster version</c>), all <see cref="IncidentCategory.VClusterControlPlane"/>; expired
/// certificates in its logs (<c>x509: certificate has expired</c>) are <see cref="IncidentCategory.CertificateExpiry"/>.
/// Subject: the host workload. Paused vClusters (loft.sh/paused=true) are skipped.
/// </summary>
public sealed class VClusterControlPlaneDetector : IDetector
{
    public static readonly TimeSpan RecentWindow = TimeSpan.FromMinutes(30);

    public string Name => "vcluster.control-plane";

    public IReadOnlyCollection<string> Kinds { get; } = ["StatefulSet", "Deployment", "Pod"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        if (!VClusters.IsControlPlane(subject))
        {
            return [];
        }

        var workload = subject.Ref.Kind == "Pod" ? Workloads.Of(subject, state) : new Workload(subject.Ref, subject);
        if (workload.Object is { } w && (KubeJson.Annotation(w, "loft.sh/paused") == "true" || !VClusters.IsControlPlane(w)))
        {
            return [];
        }

        return Judge(workload, state);
    }

    private IEnumerable<Finding> Judge(Workload workload, IClusterState state)
    {
        var reference = workload.Ref;
        var pods = Workloads.Pods(reference, state);
        var vcluster = workload.Object is { } w ? KubeJson.Label(w, "release") ?? reference.Name : reference.Name;
        var related = pods.Select(p => p.Ref).ToList();
        var podLines = pods.Take(2).Select(PodFindings.StatusLine).ToList();
        var containerLines = pods.SelectMany(ContainerStatus.Of).Where(c => !c.Ready || c.RestartCount > 0).Take(3).Select(c => c.Describe()).ToList();
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal) { ["vcluster"] = vcluster, ["hostNamespace"] = reference.Namespace };

        var certificateLines = pods.SelectMany(p => LogPatterns.Recent(state, p.Ref, LogPatterns.CertificateExpired(), RecentWindow)).ToList();
        if (certificateLines.Count > 0)
        {
            yield return new Finding(Name, IncidentCategory.CertificateExpiry, reference, Severity.Critical, "CertificateExpired",
                $"vCluster {vcluster}: its control plane reports an expired certificate.",
                [.. podLines, .. certificateLines.TakeLast(3).Select(EvidenceText.Log)])
            { Related = related, Attributes = attributes };
        }

        var statuses = pods.SelectMany(p => ContainerStatus.Of(p)).ToList();
        var oom = statuses.FirstOrDefault(c => c.TerminatedReason == "OOMKilled"
            || (c.LastTerminatedReason == "OOMKilled" && c.LastFinishedAt is { } at && state.Now - at <= RecentWindow));
        var crashing = statuses.FirstOrDefault(c => c.WaitingReason is "CrashLoopBackOff" or "CreateContainerConfigError" or "ImagePullBackOff" or "ErrImagePull");
        var restarting = statuses.FirstOrDefault(c => c.RestartCount >= 3 && c.LastFinishedAt is { } at && state.Now - at <= RecentWindow);
        var desired = Workloads.DesiredReplicas(workload.Object) ?? 1;
        var ready = workload.Object is { } obj ? KubeJson.Long(obj.Json, "status", "readyReplicas") ?? 0 : pods.Count(p => KubeJson.Condition(p.Json, "Ready") is { } c && KubeJson.Str(c, "status") == "True");
        var apiLines = pods.SelectMany(p => LogPatterns.Recent(state, p.Ref, LogPatterns.VirtualApiUnreachable(), RecentWindow)).ToList();

        var (reason, what) = oom is not null ? ("OOMKilled", $"container {oom.Name} was OOMKilled")
            : crashing is not null ? (crashing.WaitingReason!, $"container {crashing.Name} is in {crashing.WaitingReason}")
            : ready < desired ? ("NotReady", $"{ready} of {desired} replicas ready")
            : restarting is not null ? ("Restarting", $"container {restarting.Name} restarted {restarting.RestartCount} times")
            : apiLines.Count > 0 ? ("VirtualApiUnreachable", "the syncer cannot reach the virtual API server")
            : (null, null);
        if (reason is null)
        {
            yield break;
        }

        var evidence = new List<string>
        {
            $"{Refs.Describe(reference)} (vCluster {vcluster}) replicas ready {ready} of {desired}",
        };
        evidence.AddRange(podLines);
        evidence.AddRange(containerLines);
        evidence.AddRange(apiLines.TakeLast(2).Select(EvidenceText.Log));
        foreach (var pod in pods.Take(1))
        {
            evidence.AddRange(EvidenceText.Warnings(state, pod.Ref).TakeLast(2).Select(EvidenceText.Event));
            evidence.AddRange(EvidenceText.DecisiveLogLines(state, pod.Ref, "syncer", preferPrevious: true, max: 3));
        }

        yield return new Finding(Name, IncidentCategory.VClusterControlPlane, reference, ready == 0 ? Severity.Critical : Severity.Error, reason,
            $"vCluster {vcluster} control plane is unhealthy: {what}.", evidence.Distinct().ToList())
        { Related = related, Attributes = attributes };
    }
}
