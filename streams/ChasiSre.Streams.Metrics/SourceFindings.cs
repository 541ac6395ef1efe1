using ChasiSre.Streams.Detection;

namespace ChasiSre.Streams.Metrics;

/// <summary>
/// What one source (a metric series, a workload model, a business adapter) concludes now: its findings replace
/// whatever it reported before, and an empty list means its findings cleared. Hand it to
/// <c>IncidentCorrelator.Evaluate(SourceKey, Findings, state)</c>.
/// </summary>
/// <param name="SourceKey">The correlator's source key, e.g. <c>metric:host/container_memory_working_set_bytes{...}</c>.</param>
/// <param name="Findings">The source's current findings; empty when they cleared.</param>
public sealed record SourceFindings(string SourceKey, IReadOnlyList<Finding> Findings);
