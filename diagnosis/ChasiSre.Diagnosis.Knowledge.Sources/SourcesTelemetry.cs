using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ChasiSre.Diagnosis.Knowledge.Sources;

/// <summary>The ActivitySource, Meter and instrument names of this assembly (dashboards depend on them).</summary>
public static class SourcesTelemetry
{
    /// <summary>ActivitySource and Meter name.</summary>
    public const string Name = "ChasiSre.Diagnosis.Knowledge.Sources";

    /// <summary>Span of one <see cref="PastIncidentIndexer.IndexAsync"/> run.</summary>
    public const string IndexIncidentsActivity = "kb.sources.incidents";

    /// <summary>Span of one runbook record.</summary>
    public const string RunbookActivity = "kb.sources.runbook";

    /// <summary>Counter ({document}) of documents upserted or removed, tags <see cref="SourceTag"/> and <see cref="OutcomeTag"/>.</summary>
    public const string DocumentsInstrument = "chasisre.diagnosis.kb.sources.documents";

    /// <summary>Counter ({record}) of business records that carried no runbook.</summary>
    public const string IgnoredRecordsInstrument = "chasisre.diagnosis.kb.sources.ignored_records";

    /// <summary><c>incidents</c> or <c>adapters</c>.</summary>
    public const string SourceTag = "chasisre.kb.source";

    /// <summary>The <see cref="IngestOutcome"/>, lower case.</summary>
    public const string OutcomeTag = "chasisre.kb.outcome";

    internal static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> Documents = Meter.CreateCounter<long>(DocumentsInstrument, "{document}", "Documents upserted or removed by the pipeline sources.");

    internal static readonly Counter<long> IgnoredRecords = Meter.CreateCounter<long>(IgnoredRecordsInstrument, "{record}", "Business records without a runbook.");
}
