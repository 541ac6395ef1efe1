using System.Diagnostics;
using ChasiSre.Platform.ClickHouse;
using ChasiSre.Platform.Kafka;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Streams.Store;

/// <summary>
/// Collects rows for one table and writes them in one insert when <see cref="ClickHouseSinkOptions.MaxBatchRows"/>
/// are waiting or the oldest has waited <see cref="ClickHouseSinkOptions.MaxBatchDelay"/>. <see cref="WriteAsync"/>
/// completes only once its row's batch is in ClickHouse, so the consumer stores the record's offset
/// after the write. A failed write fails every waiting row with <see cref="TransientFailureException"/>:
/// the consumer retries those records with backoff, and they join a later batch.
/// </summary>
internal sealed class BatchingTableWriter
{
    private readonly IClickHouseStore store;
    private readonly string table;
    private readonly IReadOnlyList<string> columns;
    private readonly int maxRows;
    private readonly TimeSpan maxDelay;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private List<Pending> pending = [];
    private TaskCompletionSource firstRow = NewSignal();
    private TaskCompletionSource full = NewSignal();

    public BatchingTableWriter(IClickHouseStore store, string table, IReadOnlyList<string> columns, ClickHouseSinkOptions options, TimeProvider timeProvider, ILogger logger)
    {
        this.store = store;
        this.table = table;
        this.columns = columns;
        maxRows = options.MaxBatchRows;
        maxDelay = options.MaxBatchDelay;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    /// <summary>The fully qualified table.</summary>
    public string Table => table;

    /// <summary>Queues <paramref name="row"/> and completes when the batch holding it was written.</summary>
    public Task WriteAsync(object?[] row, CancellationToken cancellationToken = default)
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            pending.Add(new Pending(row, written));
            firstRow.TrySetResult();
            if (pending.Count >= maxRows)
            {
                full.TrySetResult();
            }
        }

        return written.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Writes batches until <paramref name="cancellationToken"/> is cancelled; rows still waiting then are cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            while (true)
            {
                Task first;
                lock (gate)
                {
                    first = firstRow.Task;
                }

                await first.WaitAsync(cancellationToken).ConfigureAwait(false);
                Task isFull;
                lock (gate)
                {
                    isFull = full.Task;
                }

                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    var delay = Task.Delay(maxDelay, timeProvider, wait.Token);
                    await Task.WhenAny(isFull, delay).ConfigureAwait(false);
                    await wait.CancelAsync().ConfigureAwait(false);
                }

                cancellationToken.ThrowIfCancellationRequested();
                await FlushAsync(TakeBatch(), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            List<Pending> abandoned;
            lock (gate)
            {
                abandoned = pending;
                pending = [];
            }

            // Not written: their offsets stay unstored and the records come again.
            foreach (var row in abandoned)
            {
                row.Written.TrySetCanceled(cancellationToken);
            }
        }
    }

    private List<Pending> TakeBatch()
    {
        lock (gate)
        {
            List<Pending> batch;
            if (pending.Count <= maxRows)
            {
                batch = pending;
                pending = [];
            }
            else
            {
                batch = pending[..maxRows];
                pending.RemoveRange(0, maxRows);
            }

            if (pending.Count == 0)
            {
                firstRow = NewSignal();
            }

            if (pending.Count < maxRows)
            {
                full = NewSignal();
            }

            return batch;
        }
    }

    private async Task FlushAsync(List<Pending> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var started = timeProvider.GetTimestamp();
        var tag = new KeyValuePair<string, object?>("db.collection.name", table);
        try
        {
            await store.InsertAsync(table, columns, batch.Select(p => p.Row), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            StoreTelemetry.Failures.Add(1, tag);
            Log.BatchFailed(logger, ex, batch.Count, table);
            var failure = new TransientFailureException($"Writing {batch.Count} rows to {table} failed: {ex.Message}", ex);
            foreach (var row in batch)
            {
                row.Written.TrySetException(failure);
            }

            return;
        }
        catch (Exception)
        {
            // Stopping: whatever the store did, these rows are not confirmed and come again.
            foreach (var row in batch)
            {
                row.Written.TrySetCanceled(cancellationToken);
            }

            throw;
        }

        var elapsed = timeProvider.GetElapsedTime(started);
        StoreTelemetry.Written.Add(batch.Count, tag);
        StoreTelemetry.Batch.Record(batch.Count, tag);
        StoreTelemetry.Duration.Record(elapsed.TotalSeconds, tag);
        Log.BatchWritten(logger, batch.Count, table, (long)elapsed.TotalMilliseconds);
        foreach (var row in batch)
        {
            row.Written.TrySetResult();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly record struct Pending(object?[] Row, TaskCompletionSource Written);
}
