namespace ChasiSre.Cli.Operations;

/// <summary>
/// What a replay read from the store and fed the topology: <c>InitialObjects</c> in their state at the window's start
/// (replayed first, as a watcher's list), the object versions, events and log lines of the window, and the instants
/// (seconds) the topology was stepped through.
/// </summary>
internal sealed record ReplayInput(int InitialObjects, int Objects, int Events, int Logs, int Batches);
