using System.Collections.Concurrent;
using System.Globalization;
using ChasiSre.Sdk;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Sdk.Samples.Orders;

/// <summary>
/// The adapter of a simulated orders system ("shop/orders"): checkout, payment and fulfilment.
/// Healthy, it takes about 120 orders a minute with 0.4 % payment errors; degraded (payment
/// gateway timeouts), payment errors reach 18 %, checkout p95 2.4 s and the fulfilment queue backs
/// up. Logs and events are derived deterministically from time, so any window can be queried.
/// </summary>
public sealed class OrdersAdapter(TimeProvider time) : IBusinessAdapter
{
    /// <summary>Spacing of simulated log lines.</summary>
    public static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(5);

    /// <summary>Spacing of simulated events.</summary>
    public static readonly TimeSpan EventInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, RunbookResult> executed = new(StringComparer.Ordinal);
    private volatile bool degraded;

    /// <summary>Switches the payment gateway timeouts on or off.</summary>
    public bool Degraded
    {
        get => degraded;
        set => degraded = value;
    }

    public Task<StatusSnapshot> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var minute = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        var jitter = Noise(minute, 0) * 10 - 5;
        var status = degraded
            ? new StatusSnapshot(false, "payment gateway timeouts: 18% of payments fail, checkout p95 2.4 s, 850 orders waiting")
            {
                Metrics = new Dictionary<string, double>
                {
                    ["orders_per_minute"] = Math.Round(64 + jitter, 1),
                    ["payment_error_ratio"] = 0.18,
                    ["checkout_p95_seconds"] = 2.4,
                    ["fulfilment_queue_depth"] = 850,
                },
            }
            : new StatusSnapshot(true, "orders flowing: 120/min, payment errors 0.4%, checkout p95 0.35 s")
            {
                Metrics = new Dictionary<string, double>
                {
                    ["orders_per_minute"] = Math.Round(120 + jitter, 1),
                    ["payment_error_ratio"] = 0.004,
                    ["checkout_p95_seconds"] = 0.35,
                    ["fulfilment_queue_depth"] = 12,
                },
            };
        return Task.FromResult(status with
        {
            DependsOn =
            [
                new DependencyRef("apps/v1", "Deployment", "shop", "orders-api"),
                new DependencyRef("apps/v1", "Deployment", "shop", "payment-worker"),
                new DependencyRef("apps/v1", "StatefulSet", "shop", "orders-db"),
            ],
        });
    }

    public Task<IReadOnlyList<LogEntry>> QueryLogsAsync(LogQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var now = time.GetUtcNow();
        var to = query.Window.To < now ? query.Window.To : now;
        var lines = new List<LogEntry>();

        // Newest first, so a limited query gets the most recent lines without walking a long window.
        for (var at = Floor(to - TimeSpan.FromTicks(1), LogInterval); at >= query.Window.From && lines.Count < query.Limit; at -= LogInterval)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var line = LogAt(at);
            if (query.Matches(line.Message))
            {
                lines.Add(line);
            }
        }

        return Task.FromResult<IReadOnlyList<LogEntry>>(lines);
    }

    public Task<IReadOnlyList<EventEntry>> GetEventsAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var now = time.GetUtcNow();
        var to = query.Window.To < now ? query.Window.To : now;
        var events = new List<EventEntry>();
        for (var at = Floor(to - TimeSpan.FromTicks(1), EventInterval); at >= query.Window.From && events.Count < query.Limit; at -= EventInterval)
        {
            var entry = EventAt(at);
            if (query.Includes(entry.Type))
            {
                events.Add(entry);
            }
        }

        return Task.FromResult<IReadOnlyList<EventEntry>>(events);
    }

    public Task<ConfigurationSnapshot> GetConfigurationAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new ConfigurationSnapshot("2026.11.3", new Dictionary<string, string>
        {
            ["payment.gateway.url"] = "https://payments.internal:8443/v2",
            ["payment.timeout.ms"] = "2000",
            ["payment.retries"] = "2",
            ["payment.api-key"] = "sk_live_51HqYpT9c0ffee",
            ["orders.db"] = "Host=orders-db.shop;Database=orders;Username=orders;Password=hunter2",
            ["fulfilment.queue.url"] = "amqp://orders:s3cret@rabbitmq.shop:5672/orders",
            ["checkout.express.enabled"] = "true",
        }));

    public Task<IReadOnlyList<RunbookInfo>> ListRunbooksAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RunbookInfo>>(
        [
            new RunbookInfo("payment-timeouts", "Payment gateway timeouts", """
                # Payment gateway timeouts
                Symptoms: `payment_error_ratio` above 5 %, log lines "payment gateway timeout", event PaymentTimeouts.
                1. Check the gateway status page and the egress NetworkPolicy of `payment-worker`.
                2. If the gateway is slow but up, raise `payment.timeout.ms` to 5000 (config map `orders`).
                3. If orders back up, run `restart-payment-worker` after the gateway recovers.
                """) { Tags = ["payment", "latency", "external-dependency"] },
            new RunbookInfo("fulfilment-backlog", "Fulfilment queue backs up", """
                # Fulfilment backlog
                Symptoms: `fulfilment_queue_depth` above 500.
                1. Scale `payment-worker` to 6 replicas.
                2. Check RabbitMQ memory alarms (`rabbitmqctl status`).
                """) { Tags = ["queue", "capacity"] },
            new RunbookInfo("restart-payment-worker", "Restart the payment workers", """
                # Restart the payment workers
                Rolling restart of Deployment `shop/payment-worker`; in-flight payments are retried.
                Parameter `dry_run` (true/false, default true).
                """) { Tags = ["payment", "restart", "executable"] },
        ]);

    public Task<RunbookResult> ExecuteRunbookAsync(RunbookRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RunbookId is "payment-timeouts" or "fulfilment-backlog")
        {
            return Task.FromResult(RunbookResult.Rejected($"runbook '{request.RunbookId}' is manual: read it and act"));
        }

        if (request.RunbookId != "restart-payment-worker")
        {
            return Task.FromResult(RunbookResult.UnknownRunbook(request.RunbookId));
        }

        if (request.Parameters.TryGetValue("dry_run", out var dryRun) && dryRun is not ("true" or "false"))
        {
            return Task.FromResult(RunbookResult.Rejected("dry_run must be true or false"));
        }

        // The same request id never runs twice: the first result is returned again.
        return Task.FromResult(executed.GetOrAdd(request.RequestId.Length > 0 ? request.RequestId : Guid.NewGuid().ToString("N"), _ =>
        {
            if (dryRun != "false")
            {
                return RunbookResult.Succeeded("dry run: would restart 3 payment-worker pods", new Dictionary<string, string> { ["pods"] = "3", ["dry_run"] = "true" });
            }

            degraded = false;
            return RunbookResult.Succeeded("payment-worker restarted", new Dictionary<string, string> { ["pods"] = "3", ["dry_run"] = "false" });
        }));
    }

    private LogEntry LogAt(DateTimeOffset at)
    {
        var tick = at.ToUnixTimeSeconds() / (long)LogInterval.TotalSeconds;
        var order = string.Create(CultureInfo.InvariantCulture, $"ORD-{100000 + (tick % 900000)}");
        var roll = Noise(tick, 1);
        if (degraded && roll < 0.45)
        {
            return new LogEntry(at, LogLevel.Error, $"payment gateway timeout after 2000 ms for order {order}; attempt 2 of 2")
            {
                Attributes = new Dictionary<string, string> { ["order_id"] = order, ["component"] = "payment-worker" },
            };
        }

        if (degraded && roll < 0.7)
        {
            return new LogEntry(at, LogLevel.Warning, $"fulfilment queue depth 850 above 500; order {order} waits")
            {
                Attributes = new Dictionary<string, string> { ["order_id"] = order, ["component"] = "fulfilment" },
            };
        }

        var total = 20 + Math.Round(Noise(tick, 2) * 180, 2);
        return new LogEntry(at, LogLevel.Information, string.Create(CultureInfo.InvariantCulture, $"order {order} placed, total {total:0.00} EUR, payment authorized"))
        {
            Attributes = new Dictionary<string, string> { ["order_id"] = order, ["component"] = "orders-api" },
        };
    }

    private EventEntry EventAt(DateTimeOffset at)
    {
        var minute = at.ToUnixTimeSeconds() / 60;
        var id = string.Create(CultureInfo.InvariantCulture, $"orders-{minute}");
        if (degraded)
        {
            return minute % 2 == 0
                ? new EventEntry(id, at, BusinessEventType.Warning, "PaymentTimeouts", "18% of payments timed out in the last minute")
                : new EventEntry(id, at, BusinessEventType.Error, "FulfilmentBacklog", "850 orders wait for fulfilment");
        }

        return new EventEntry(id, at, BusinessEventType.Normal, "OrdersProcessed", string.Create(CultureInfo.InvariantCulture, $"{118 + minute % 5} orders processed in the last minute"));
    }

    private static DateTimeOffset Floor(DateTimeOffset at, TimeSpan step) => new(at.UtcTicks - (at.UtcTicks % step.Ticks), TimeSpan.Zero);

    /// <summary>Deterministic noise in [0, 1) from a tick and a stream number.</summary>
    private static double Noise(long tick, int stream)
    {
        var x = (ulong)tick * 0x9E3779B97F4A7C15UL ^ (ulong)stream * 0xBF58476D1CE4E5B9UL;
        x ^= x >> 31;
        x *= 0x94D049BB133111EBUL;
        x ^= x >> 29;
        return (x >> 11) * (1.0 / (1UL << 53));
    }
}
