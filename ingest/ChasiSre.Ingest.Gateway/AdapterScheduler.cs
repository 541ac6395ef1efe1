using System.Collections.Concurrent;
using ChasiSre.Schemas.V1;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Ingest.Gateway;

/// <summary>
/// Polls every adapter on its interval from one timer: a priority queue of due times (a timer wheel of
/// resolution <see cref="GatewayOptions.SchedulerTick"/>) instead of a delay loop per adapter, so 500
/// adapters cost one timer and no idle tasks. A new adapter starts at a random phase of its interval and
/// every later due time moves by up to <see cref="GatewayOptions.Jitter"/> of it, so polls do not bunch
/// up; the mean interval stays exact (due times advance from the previous due time, not from when the
/// poll ended). At most <see cref="GatewayOptions.MaxConcurrentPolls"/> polls run at once; a poll never
/// overlaps the previous one of the same adapter; an open circuit breaker defers polls to its trial time.
/// </summary>
public sealed class AdapterScheduler : IAdapterRegistry, IAsyncDisposable
{
    private readonly GatewayOptions options;
    private readonly AdapterClientFactory clients;
    private readonly AdapterPoller poller;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly Lock sync = new();
    private readonly Dictionary<string, AdapterState> adapters = new(StringComparer.Ordinal);
    private readonly PriorityQueue<(AdapterState State, int Generation), long> queue = new();
    private readonly List<(AdapterState State, Signal Signal)> pendingClears = [];
    private readonly ConcurrentDictionary<Task, bool> running = new();
    private readonly SemaphoreSlim slots;
    private long due;
    private long started;
    private long succeeded;
    private long failed;
    private long skippedBreaker;
    private long skippedRunning;

    internal AdapterScheduler(GatewayOptions options, AdapterClientFactory clients, AdapterPoller poller, TimeProvider timeProvider, ILogger logger)
    {
        this.options = options;
        this.clients = clients;
        this.poller = poller;
        this.timeProvider = timeProvider;
        this.logger = logger;
        slots = new SemaphoreSlim(options.MaxConcurrentPolls, options.MaxConcurrentPolls);
    }

    /// <summary>Counts so far.</summary>
    public SchedulerStatistics Statistics
    {
        get
        {
            lock (sync)
            {
                return new SchedulerStatistics(adapters.Count, due, started, succeeded, failed, skippedBreaker, skippedRunning);
            }
        }
    }

    /// <summary>The adapters scheduled now, by key.</summary>
    public IReadOnlyList<AdapterEndpoint> Adapters
    {
        get
        {
            lock (sync)
            {
                return [.. adapters.Values.Select(a => a.Endpoint)];
            }
        }
    }

    /// <summary>The breaker state of an adapter, or null when it is not scheduled.</summary>
    public BreakerState? BreakerOf(string key)
    {
        lock (sync)
        {
            return adapters.TryGetValue(key, out var state) ? state.Breaker.State : null;
        }
    }

    /// <inheritdoc />
    public void Upsert(AdapterEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        lock (sync)
        {
            var now = timeProvider.GetUtcNow().UtcTicks;
            if (adapters.TryGetValue(endpoint.Key, out var state))
            {
                if (state.Endpoint == endpoint)
                {
                    return;
                }

                Log.AdapterChanged(logger, endpoint.Key);
                var old = state.Client;
                state.Client = clients.Create(endpoint);
                var intervalChanged = state.Endpoint.Interval != endpoint.Interval;
                state.Endpoint = endpoint;
                Retire(state, old);
                if (intervalChanged)
                {
                    state.Generation++;
                    queue.Enqueue((state, state.Generation), now + Phase(endpoint.Interval));
                }

                return;
            }

            state = new AdapterState(endpoint, clients.Create(endpoint),
                new CircuitBreaker(options.BreakerFailureThreshold, options.BreakerOpenDuration, options.BreakerMaxOpenDuration, timeProvider));
            adapters[endpoint.Key] = state;
            queue.Enqueue((state, state.Generation), now + Phase(endpoint.Interval));
            GatewayTelemetry.Adapters.Add(1);
            Log.AdapterAdded(logger, endpoint.Key, endpoint.Interval);
        }
    }

    /// <inheritdoc />
    public void Remove(string key)
    {
        lock (sync)
        {
            if (!adapters.Remove(key, out var state))
            {
                return;
            }

            state.Removed = true;
            Retire(state, state.Client);
            if (state.Unhealthy is { } signal && !state.Running)
            {
                pendingClears.Add((state, signal));
            }

            GatewayTelemetry.Adapters.Add(-1);
            Log.AdapterRemoved(logger, key);
        }
    }

    /// <summary>Runs the schedule until <paramref name="cancellationToken"/> fires, then waits for running polls.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        using var timer = new PeriodicTimer(options.SchedulerTick, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await TickAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await Task.WhenAll(running.Keys).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Starts every poll due now (one step of <see cref="RunAsync"/>; tests drive it with a fake clock).</summary>
    public async Task TickAsync(CancellationToken cancellationToken = default)
    {
        List<(AdapterState State, Signal Signal)> clears;
        lock (sync)
        {
            var now = timeProvider.GetUtcNow().UtcTicks;
            while (queue.TryPeek(out var entry, out var at) && at <= now)
            {
                queue.Dequeue();
                var state = entry.State;
                if (state.Removed || entry.Generation != state.Generation)
                {
                    continue;
                }

                due++;
                var next = Next(at, state.Endpoint.Interval, now);
                if (state.Running)
                {
                    skippedRunning++;
                    GatewayTelemetry.Skipped.Add(1, new KeyValuePair<string, object?>("reason", "still_running"));
                    queue.Enqueue(entry, next);
                    continue;
                }

                if (!state.Breaker.AllowsPoll())
                {
                    skippedBreaker++;
                    GatewayTelemetry.Skipped.Add(1, new KeyValuePair<string, object?>("reason", "breaker_open"));
                    var retry = state.Breaker.RetryAt.UtcTicks;
                    queue.Enqueue(entry, retry > next ? retry : next);
                    continue;
                }

                state.Running = true;
                started++;
                queue.Enqueue(entry, next);
                Track(PollAsync(state, at, cancellationToken));
            }

            clears = [.. pendingClears];
            pendingClears.Clear();
        }

        foreach (var (state, signal) in clears)
        {
            await poller.ClearAsync(state, signal, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(running.Keys).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (sync)
        {
            foreach (var state in adapters.Values)
            {
                state.Client.Dispose();
            }

            adapters.Clear();
        }

        slots.Dispose();
    }

    private async Task PollAsync(AdapterState state, long dueTicks, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var result = PollResult.Failed;
        try
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                var begin = timeProvider.GetTimestamp();
                GatewayTelemetry.PollLag.Record(TimeSpan.FromTicks(Math.Max(0, timeProvider.GetUtcNow().UtcTicks - dueTicks)).TotalSeconds);
                using var activity = GatewayTelemetry.Source.StartActivity("adapter poll");
                activity?.SetTag("chasi.adapter", state.Endpoint.Key);
                result = await poller.PollAsync(state, cancellationToken);
                GatewayTelemetry.PollDuration.Record(timeProvider.GetElapsedTime(begin).TotalSeconds);
            }
            finally
            {
                slots.Release();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            // The per-poll boundary: log and count, and the schedule carries on.
            Log.PollCrashed(logger, state.Endpoint.Key, e);
        }
        finally
        {
            Finish(state, result);
        }
    }

    private void Finish(AdapterState state, PollResult result)
    {
        GatewayTelemetry.Polls.Add(1, new KeyValuePair<string, object?>("result", result switch
        {
            PollResult.Ok => "ok",
            PollResult.PublishFailed => "publish_failed",
            _ => "failed",
        }));
        lock (sync)
        {
            state.Running = false;
            state.Polls++;
            if (result == PollResult.Ok)
            {
                succeeded++;
            }
            else
            {
                failed++;
            }

            foreach (var client in state.Retired)
            {
                client.Dispose();
            }

            state.Retired.Clear();
            if (state.Removed && state.Unhealthy is { } signal)
            {
                pendingClears.Add((state, signal));
            }
        }
    }

    private static void Retire(AdapterState state, IAdapterClient client)
    {
        if (state.Running)
        {
            state.Retired.Add(client);
        }
        else
        {
            client.Dispose();
        }
    }

    private void Track(Task task)
    {
        running[task] = true;
        _ = task.ContinueWith(static (t, self) => ((ConcurrentDictionary<Task, bool>)self!).TryRemove(t, out _), running, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>A random phase in [0, interval): where a new adapter's first poll falls.</summary>
    private static long Phase(TimeSpan interval) => (long)(Random.Shared.NextDouble() * interval.Ticks);

    /// <summary>The due time after <paramref name="previous"/>: one interval later, moved by the jitter; never in the past.</summary>
    private long Next(long previous, TimeSpan interval, long now)
    {
        var jitter = (long)((Random.Shared.NextDouble() * 2 - 1) * options.Jitter * interval.Ticks);
        var next = previous + interval.Ticks + jitter;
        if (next <= now)
        {
            // Far behind (the process was paused): do not fire a burst of missed polls, go on from now.
            next = now + (long)(Random.Shared.NextDouble() * options.Jitter * interval.Ticks) + 1;
        }

        return next;
    }
}
