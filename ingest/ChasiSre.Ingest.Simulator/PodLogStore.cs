using System.Collections.Concurrent;

namespace ChasiSre.Ingest.Simulator;

/// <summary>Log lines per pod container (current and previous instance), with the time they were set.</summary>
internal sealed class PodLogStore
{
    private readonly ConcurrentDictionary<(string Namespace, string Pod, string Container, bool Previous), PodLog> _logs = new();

    public void Set(string @namespace, string pod, string container, bool previous, IReadOnlyList<string> lines, DateTimeOffset at) =>
        _logs[(@namespace, pod, container, previous)] = new PodLog(lines, at);

    public PodLog? Get(string @namespace, string pod, string container, bool previous) =>
        _logs.TryGetValue((@namespace, pod, container, previous), out var log) ? log : null;
}

internal sealed record PodLog(IReadOnlyList<string> Lines, DateTimeOffset At);
