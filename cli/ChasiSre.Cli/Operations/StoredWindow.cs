using ChasiSre.Ingest.Scenarios;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Cli.Operations;

/// <summary>
/// The stored raw data of a replay window rebuilt as the records ingest published, in time order, one batch per second
/// (offsets from <c>From</c>); the first batch holds the state objects were in when the window opened
/// (<c>InitialObjects</c>: those whose latest version before the window is a snapshot, replayed as a watcher's list).
/// </summary>
internal sealed record StoredWindow(
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<ScenarioRecordBatch> Batches,
    int InitialObjects,
    int Objects,
    int Events,
    int Logs)
{
    public IEnumerable<DetectionInput> Records => Batches.SelectMany(b => b.Records);
}
