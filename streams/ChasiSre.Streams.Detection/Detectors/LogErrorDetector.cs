using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Detectors;

/// <summary>
/// k8sgpt's Log check, made quieter: a pod that is Running and Ready but whose current log has at least
/// <see cref="MinLines"/> error lines (error, exception, fatal, panic, or an Error/Fatal level) within <see cref="Window"/>.
/// Pods that crash or fail probes are reported by the pod detectors with their log lines; this catches the ones that look
/// healthy. Its category is <see cref="IncidentCategory.MetricAnomaly"/> (an anomalous error rate), severity Warning.
/// Reads only lines ingest already fetched: no log request per scan.
/// </summary>
public sealed class LogErrorDetector : IDetector
{
    public const int MinLines = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    public string Name => "log.errors";

    public IReadOnlyCollection<string> Kinds { get; } = ["Pod"];

    public IEnumerable<Finding> Detect(KubeObject subject, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(state);
        return PodFindings.ForWorkload(Name, subject, state, Probe);
    }

    private static PodProblem? Probe(KubeObject pod, IClusterState state)
    {
        if (KubeJson.Str(pod.Json, "status", "phase") != "Running"
            || KubeJson.Condition(pod.Json, "Ready") is not { } ready || KubeJson.Str(ready, "status") != "True")
        {
            return null;
        }

        var lines = state.Logs(pod.Ref)
            .Where(l => !l.Previous && (l.At is null || state.Now - l.At.ToDateTimeOffset() <= Window)
                && (l.Level >= LogLevel.Error || LogPatterns.Error().IsMatch(l.Message)))
            .ToList();
        if (lines.Count < MinLines)
        {
            return null;
        }

        return new PodProblem(IncidentCategory.MetricAnomaly, Severity.Warning, "ErrorLogs",
            $"{lines.Count} error lines in {Window.TotalMinutes} minutes while Ready",
            [PodFindings.StatusLine(pod), .. lines.TakeLast(3).Select(EvidenceText.Log)])
        {
            Attributes = { ["errorLines"] = lines.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
    }
}
