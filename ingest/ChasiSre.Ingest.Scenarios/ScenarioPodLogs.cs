namespace ChasiSre.Ingest.Scenarios;

/// <summary>Log lines of one container; <see cref="Previous"/> marks the previous (crashed) container's log.</summary>
public sealed record ScenarioPodLogs(string Namespace, string Pod, string Container, bool Previous, IReadOnlyList<string> Lines);
