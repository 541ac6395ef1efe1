using ChasiSre.Sdk;
using ChasiSre.Sdk.Samples.Orders;

namespace ChasiSre.Ingest.Gateway.Tests;

/// <summary>The real orders sample, counting every call per operation and optionally answering late.</summary>
internal sealed class InstrumentedOrdersAdapter(OrdersAdapter inner) : IBusinessAdapter
{
    private int status;
    private int logs;
    private int events;
    private int configuration;
    private int runbooks;
    private int executions;

    public OrdersAdapter Inner => inner;

    /// <summary>Delay before every answer (a slow business system).</summary>
    public TimeSpan Delay { get; set; }

    public int StatusCalls => Volatile.Read(ref status);

    public int LogCalls => Volatile.Read(ref logs);

    public int EventCalls => Volatile.Read(ref events);

    public int RunbookListCalls => Volatile.Read(ref runbooks);

    public int ExecuteRunbookCalls => Volatile.Read(ref executions);

    public int ConfigurationCalls => Volatile.Read(ref configuration);

    public async Task<StatusSnapshot> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref status);
        await WaitAsync(cancellationToken);
        return await inner.GetStatusAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<LogEntry>> QueryLogsAsync(LogQuery query, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref logs);
        await WaitAsync(cancellationToken);
        return await inner.QueryLogsAsync(query, cancellationToken);
    }

    public async Task<IReadOnlyList<EventEntry>> GetEventsAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref events);
        await WaitAsync(cancellationToken);
        return await inner.GetEventsAsync(query, cancellationToken);
    }

    public Task<ConfigurationSnapshot> GetConfigurationAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref configuration);
        return inner.GetConfigurationAsync(cancellationToken);
    }

    public Task<IReadOnlyList<RunbookInfo>> ListRunbooksAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref runbooks);
        return inner.ListRunbooksAsync(cancellationToken);
    }

    public Task<RunbookResult> ExecuteRunbookAsync(RunbookRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref executions);
        return inner.ExecuteRunbookAsync(request, cancellationToken);
    }

    private Task WaitAsync(CancellationToken cancellationToken) => Delay > TimeSpan.Zero ? Task.Delay(Delay, cancellationToken) : Task.CompletedTask;
}
