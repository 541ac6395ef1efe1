using ChasiSre.Sdk.Samples.Orders;
using Microsoft.Extensions.Time.Testing;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace ChasiSre.Sdk.Tests;

public sealed class OrdersAdapterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetStatusAsync_Degraded_UnhealthyWithPaymentErrors()
    {
        var ct = TestContext.Current.CancellationToken;
        var adapter = new OrdersAdapter(new FakeTimeProvider(Now));

        var healthy = await adapter.GetStatusAsync(ct);
        adapter.Degraded = true;
        var degraded = await adapter.GetStatusAsync(ct);

        Assert.True(healthy.Healthy);
        Assert.False(degraded.Healthy);
        Assert.True(degraded.Metrics["payment_error_ratio"] > 10 * healthy.Metrics["payment_error_ratio"]);
        Assert.True(degraded.Metrics["checkout_p95_seconds"] > healthy.Metrics["checkout_p95_seconds"]);
        Assert.Contains(degraded.DependsOn, d => d.Kind == "Deployment" && d.Name == "payment-worker");
    }

    [Fact]
    public async Task QueryLogsAsync_SameWindowTwice_SameLinesNewestFirstWithinWindow()
    {
        var ct = TestContext.Current.CancellationToken;
        var adapter = new OrdersAdapter(new FakeTimeProvider(Now)) { Degraded = true };
        var query = new LogQuery(new TimeWindow(Now.AddMinutes(-10), Now), [], 1000);

        var first = await adapter.QueryLogsAsync(query, ct);
        var second = await adapter.QueryLogsAsync(query, ct);

        Assert.Equal(first.Select(l => (l.At, l.Level, l.Message)), second.Select(l => (l.At, l.Level, l.Message)));
        Assert.Equal(120, first.Count);
        Assert.All(first, l => Assert.True(query.Window.Contains(l.At)));
        Assert.Equal(first.Select(l => l.At).OrderDescending(), first.Select(l => l.At));
        Assert.Contains(first, l => l.Level == LogLevel.Error && l.Message.Contains("payment gateway timeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetEventsAsync_DegradedWarningsOnly_FilteredByType()
    {
        var ct = TestContext.Current.CancellationToken;
        var adapter = new OrdersAdapter(new FakeTimeProvider(Now)) { Degraded = true };

        var events = await adapter.GetEventsAsync(new EventQuery(new TimeWindow(Now.AddMinutes(-10), Now), [BusinessEventType.Warning], 100), ct);

        Assert.Equal(5, events.Count);
        Assert.All(events, e => Assert.Equal("PaymentTimeouts", e.Reason));
    }

    [Fact]
    public async Task ExecuteRunbookAsync_SameRequestIdTwice_RunsOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var adapter = new OrdersAdapter(new FakeTimeProvider(Now)) { Degraded = true };
        var request = new RunbookRequest("restart-payment-worker", new Dictionary<string, string> { ["dry_run"] = "false" }, "action-1");

        var first = await adapter.ExecuteRunbookAsync(request, ct);
        adapter.Degraded = true;
        var again = await adapter.ExecuteRunbookAsync(request, ct);

        Assert.Equal(RunbookResultKind.Succeeded, first.Kind);
        Assert.Same(first, again);
        Assert.True(adapter.Degraded);
    }

    [Theory]
    [InlineData("payment-timeouts", RunbookResultKind.Rejected)]
    [InlineData("nope", RunbookResultKind.UnknownRunbook)]
    public async Task ExecuteRunbookAsync_NotExecutable_ClosedResult(string id, RunbookResultKind expected)
    {
        var result = await new OrdersAdapter(TimeProvider.System).ExecuteRunbookAsync(new RunbookRequest(id, new Dictionary<string, string>(), "r"), TestContext.Current.CancellationToken);

        Assert.Equal(expected, result.Kind);
    }
}
