namespace ChasiSre.Streams.Correlation;

/// <summary>What happened to an incident in one evaluation.</summary>
public enum IncidentChangeKind
{
    /// <summary>A new incident (new id).</summary>
    Opened,

    /// <summary>An open incident changed (signals, severity, affected objects ...).</summary>
    Updated,

    /// <summary>No finding for the root held for <see cref="CorrelationOptions.ResolveAfter"/>.</summary>
    Resolved,

    /// <summary>A resolved incident's root fired again within <see cref="CorrelationOptions.ReopenWindow"/>: same id, open again.</summary>
    Reopened,
}
