using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>Containers waiting on an image: ImagePullBackOff, ErrImagePull, ErrImageNeverPull, InvalidImageName,
/// ImageInspectError; one finding per workload with the image and the kubelet's pull events.</summary>
public sealed class PodImagePullDetector : IDetector
{
    private static readonly HashSet<string> Reasons = new(["ImagePullBackOff", "ErrImagePull", "ErrImageNeverPull", "InvalidImageName", "ImageInspectError"], StringComparer.Ordinal);

    public string Name => "pod.image-pull";

    public IReadOnlyCollection<string> Kinds { get; } = ["Pod"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        return PodFindings.ForWorkload(Name, subject, state, Probe);
    }

    private static PodProblem? Probe(KubeObject pod, IClusterState state)
    {
        var waiting = ContainerStatus.Of(pod).FirstOrDefault(c => c.WaitingReason is { } r && Reasons.Contains(r));
        if (waiting is null)
        {
            return null;
        }

        var image = ImageOf(pod, waiting);
        var evidence = new List<string> { PodFindings.StatusLine(pod), waiting.Describe() + (image is null ? "" : $", image {image}") };
        evidence.AddRange(PodFindings.EventLines(state, pod.Ref, 3, "Failed", "BackOff", "ErrImageNeverPull", "InspectFailed"));
        var summary = $"container {waiting.Name} cannot get image {image ?? "?"} ({waiting.WaitingReason})";
        return new PodProblem(IncidentCategory.ImagePull, Severity.Error, "ImagePull", summary, evidence)
        {
            Attributes = { ["container"] = waiting.Name, ["image"] = image ?? "", ["waitingReason"] = waiting.WaitingReason! },
        };
    }

    private static string? ImageOf(KubeObject pod, ContainerStatus status) =>
        KubeJson.Items(pod.Json, "spec", status.Init ? "initContainers" : "containers")
            .Where(c => KubeJson.Str(c, "name") == status.Name)
            .Select(c => KubeJson.Str(c, "image"))
            .FirstOrDefault();
}
