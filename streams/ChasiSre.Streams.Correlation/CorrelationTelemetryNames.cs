namespace ChasiSre.Streams.Correlation;

/// <summary>Names of the correlator's instruments (dashboards depend on them).</summary>
public static class CorrelationTelemetryNames
{
    /// <summary>Meter name.</summary>
    public const string SourceName = "ChasiSre.Streams.Correlation";

    /// <summary>Incident records emitted, tagged with <see cref="KindTag"/> and <see cref="CategoryTag"/>.</summary>
    public const string IncidentChanges = "chasisre.streams.incidents.changes";

    /// <summary>Findings evaluated.</summary>
    public const string Findings = "chasisre.streams.correlation.findings";

    /// <summary>Findings that repeated an active signal unchanged (no record emitted for them).</summary>
    public const string Duplicates = "chasisre.streams.correlation.duplicates";

    /// <summary>Change kind tag (opened, updated, resolved, reopened).</summary>
    public const string KindTag = "chasisre.incident.change";

    /// <summary>Incident category tag.</summary>
    public const string CategoryTag = "chasisre.incident.category";
}
