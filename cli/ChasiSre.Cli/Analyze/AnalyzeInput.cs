using ChasiSre.Ingest.Scenarios;

namespace ChasiSre.Cli.Analyze;

/// <summary>What <c>chasi analyze</c> feeds the detection topology: the records ingest would publish for a dump or a live
/// list, at one instant.</summary>
/// <param name="Kind"><c>dump</c> or <c>cluster</c>.</param>
/// <param name="Clusters">The clusters read: the root first (the host), then vClusters as <c>name (host namespace)</c>.</param>
/// <param name="AsOf">The instant the records describe: the newest timestamp of a dump (or <c>--at</c>), now for a live list.</param>
/// <param name="Batches">The records, as <see cref="ScenarioRecords"/> groups them.</param>
/// <param name="Warnings">What was read only in part (an unreachable vCluster, a kind ingest does not watch), for stderr and the JSON.</param>
internal sealed record AnalyzeInput(
    string Kind,
    IReadOnlyList<string> Clusters,
    DateTimeOffset AsOf,
    IReadOnlyList<ScenarioRecordBatch> Batches,
    IReadOnlyList<string> Warnings);
