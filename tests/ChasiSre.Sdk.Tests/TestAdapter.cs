namespace ChasiSre.Sdk.Tests;

/// <summary>An adapter whose answers the test sets; each operation can be made slow or throw.</summary>
internal class TestAdapter : IBusinessAdapter
{
    public StatusSnapshot Status { get; set; } = new(true, "all good") { Metrics = new Dictionary<string, double> { ["orders_per_minute"] = 120 } };

    public List<LogEntry> Logs { get; } = [];

    public List<EventEntry> Events { get; } = [];

    public ConfigurationSnapshot Configuration { get; set; } = new("1", new Dictionary<string, string> { ["mode"] = "fast" });

    public List<RunbookInfo> Runbooks { get; } = [new RunbookInfo("restart", "Restart", "# Restart")];

    /// <summary>How long every operation takes.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>When set, every operation throws it.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Set when an operation observed its cancellation token fire.</summary>
    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LogQuery? LastLogQuery { get; private set; }

    public Task<StatusSnapshot> GetStatusAsync(CancellationToken cancellationToken = default) => Answer(Status, cancellationToken);

    public Task<IReadOnlyList<LogEntry>> QueryLogsAsync(LogQuery query, CancellationToken cancellationToken = default)
    {
        LastLogQuery = query;
        return Answer<IReadOnlyList<LogEntry>>(Logs, cancellationToken);
    }

    public Task<IReadOnlyList<EventEntry>> GetEventsAsync(EventQuery query, CancellationToken cancellationToken = default) =>
        Answer<IReadOnlyList<EventEntry>>(Events, cancellationToken);

    public Task<ConfigurationSnapshot> GetConfigurationAsync(CancellationToken cancellationToken = default) => Answer(Configuration, cancellationToken);

    public Task<IReadOnlyList<RunbookInfo>> ListRunbooksAsync(CancellationToken cancellationToken = default) =>
        Answer<IReadOnlyList<RunbookInfo>>(Runbooks, cancellationToken);

    private async Task<T> Answer<T>(T value, CancellationToken cancellationToken)
    {
        if (Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(Delay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Cancelled.TrySetResult();
                throw;
            }
        }

        return Failure is null ? value : throw Failure;
    }
}
