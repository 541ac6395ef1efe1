namespace ChasiSre.Ingest.Metrics;

/// <summary>What the normalizer did with one observation.</summary>
public enum NormalizeOutcome
{
    /// <summary>Published (possibly with a reset or gap annotation).</summary>
    Accepted,

    /// <summary>Dropped: the value is NaN.</summary>
    DroppedNaN,

    /// <summary>Dropped: the value is +Inf or -Inf.</summary>
    DroppedInfinite,

    /// <summary>Dropped: older than the series' last point.</summary>
    DroppedOutOfOrder,

    /// <summary>Dropped: same timestamp as the series' last point.</summary>
    DroppedDuplicate,

    /// <summary>Rejected: a new series of a tenant already at its series limit.</summary>
    RejectedCardinality,
}
