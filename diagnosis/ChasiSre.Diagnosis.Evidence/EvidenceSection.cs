namespace ChasiSre.Diagnosis.Evidence;

/// <summary>The sections of an evidence pack, in priority order: under a tight budget the later ones shrink or drop first.</summary>
public enum EvidenceSection
{
    /// <summary>Category, layer, severity, subject, tenants and summary. Its first line is always kept.</summary>
    Incident = 0,

    /// <summary>The detectors' findings with their evidence lines (<c>[sig:N]</c>).</summary>
    Signals = 1,

    /// <summary>Kubernetes events deduplicated by reason and message, with counts and first/last time (<c>[ev:N]</c>).</summary>
    Events = 2,

    /// <summary>Log lines around the errors, previous containers first (<c>[log:N]</c>).</summary>
    Logs = 3,

    /// <summary>Trimmed spec and status of the subject and related objects (<c>[obj:N]</c>).</summary>
    Objects = 4,

    /// <summary>Host ↔ virtual twins and vCluster placement, for cross-layer incidents (<c>[map:N]</c>).</summary>
    Mapping = 5,

    /// <summary>Metric anomalies and series summaries (<c>[met:N]</c>).</summary>
    Metrics = 6,

    /// <summary>What business adapters report: status, events, logs, configuration (<c>[biz:N]</c>).</summary>
    Business = 7,

    /// <summary>Retrieved knowledge chunks with their citations (<c>[kb:N]</c>).</summary>
    Knowledge = 8,
}
