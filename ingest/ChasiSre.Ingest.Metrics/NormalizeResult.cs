using ChasiSre.Schemas.V1;

namespace ChasiSre.Ingest.Metrics;

/// <summary>The normalizer's verdict on one observation.</summary>
/// <param name="Outcome">Accepted, or why not.</param>
/// <param name="Sample">The record to publish when accepted, else null.</param>
/// <param name="Reset">True when the point follows a counter reset.</param>
/// <param name="Gap">The time since the previous point when a gap preceded this one, else null.</param>
/// <param name="FirstRejection">True on the first cardinality rejection of a tenant since it was last under its limit (log and signal once).</param>
/// <param name="Tenant">The series' tenant.</param>
public sealed record NormalizeResult(NormalizeOutcome Outcome, MetricSample? Sample, bool Reset, TimeSpan? Gap, bool FirstRejection, string Tenant)
{
    /// <summary>True when <see cref="Sample"/> should be published.</summary>
    public bool Accepted => Outcome == NormalizeOutcome.Accepted;
}
