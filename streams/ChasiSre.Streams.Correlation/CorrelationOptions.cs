using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Streams.Correlation;

/// <summary>How findings become incidents: quiet period, reopen window, bounds of the published record.</summary>
public sealed class CorrelationOptions : IValidatableObject
{
    public const string SectionName = "Streams:Correlation";

    /// <summary>
    /// How long (state time) an incident must go without any active finding before it resolves.
    /// A finding that comes back within this period keeps the incident open.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan ResolveAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A resolved incident whose root fires again within this time of its last finding clearing
    /// reopens under the same id; later, a new incident (new id) opens. At least <see cref="ResolveAfter"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan ReopenWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Changes that do not alter what the incident is (more pods of an already affected workload,
    /// a signal clearing while others hold) are published at most this often; changes of state,
    /// category, severity, subject, tenants, affected workloads or the kinds of signals are
    /// published at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long an incident that holds only symptoms (Unschedulable, RolloutStuck, JobFailed, NetworkService, Autoscaling,
    /// MetricAnomaly) waits before its first record, like Alertmanager's group_wait: a cause found in the same burst or
    /// soon after (a quota, a node, a storage class, a claim) takes those symptoms over, and a symptom that clears within
    /// the wait (a pod still starting during a rollout) is never published. Incidents with any other signal open at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan GroupWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Signals kept in the published incident (active first, most recent first); <c>signal_count</c> has the total.</summary>
    [Range(1, 1000)]
    public int MaxSignals { get; set; } = 20;

    /// <summary>Affected objects kept in the published incident (root and workloads first).</summary>
    [Range(1, 10_000)]
    public int MaxAffected { get; set; } = 50;

    /// <summary>An incident affecting at least this many tenants gets one severity level more (capped at critical).</summary>
    [Range(2, 10_000)]
    public int MultiTenantEscalation { get; set; } = 2;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ReopenWindow < ResolveAfter)
        {
            yield return new ValidationResult(
                $"{nameof(ReopenWindow)} ({ReopenWindow}) must be at least {nameof(ResolveAfter)} ({ResolveAfter}).",
                [nameof(ReopenWindow)]);
        }
    }
}
