using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Streams.Metrics.Tests;

public sealed class BusinessHealthMonitorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static readonly ObjectRef System = new()
    {
        Cluster = "team-a",
        Tenant = "team-a",
        Layer = Layer.Business,
        ApiVersion = "business.chasi.io/v1",
        Kind = "BusinessSystem",
        Namespace = "shop",
        Name = "orders",
    };

    private static BusinessRecord Status(int second, bool healthy, double ordersPerMinute, string summary = "")
    {
        var status = new BusinessStatus { Healthy = healthy, Summary = summary };
        status.Metrics["orders_per_minute"] = ordersPerMinute;
        status.Metrics["payment_error_ratio"] = healthy ? 0.004 : 0.18;
        status.DependsOn.Add(new ObjectRef { Cluster = "team-a", Tenant = "team-a", ApiVersion = "apps/v1", Kind = "Deployment", Namespace = "shop", Name = "orders-api" });
        return new BusinessRecord { Adapter = "orders", Subject = System, At = Timestamp.FromDateTimeOffset(T0.AddSeconds(second)), Status = status };
    }

    private static BusinessRecord Event(int second, string type, string reason) => new()
    {
        Adapter = "orders",
        Subject = System,
        At = Timestamp.FromDateTimeOffset(T0.AddSeconds(second)),
        Event = new BusinessEvent { Type = type, Reason = reason, Message = reason + " happened" },
    };

    private static BusinessRecord Log(int second, Schemas.V1.LogLevel level, string message) => new()
    {
        Adapter = "orders",
        Subject = System,
        At = Timestamp.FromDateTimeOffset(T0.AddSeconds(second)),
        Log = new LogRecord { Level = level, Message = message, At = Timestamp.FromDateTimeOffset(T0.AddSeconds(second)) },
    };

    private static List<SourceFindings> Feed(BusinessHealthMonitor monitor, params BusinessRecord[] records) => [.. records.SelectMany(monitor.Observe)];

    private static BusinessRecord[] Healthy(int reports) => [.. Enumerable.Range(0, reports).Select(i => Status(i * 30, true, 118 + (i % 5)))];

    [Fact]
    public void Observe_UnhealthyLongerThanTheDebounce_RaisesBusinessDegradationAboutTheAdapter()
    {
        var monitor = new BusinessHealthMonitor(new BusinessHealthOptions());
        Feed(monitor, Healthy(10));

        var early = Feed(monitor, Status(300, false, 118, "payment gateway timeouts"), Status(330, false, 117, "payment gateway timeouts"));
        var late = Feed(monitor, Status(360, false, 116, "payment gateway timeouts"));

        Assert.Empty(early);
        var change = Assert.Single(late);
        var finding = Assert.Single(change.Findings);
        Assert.Equal(IncidentCategory.BusinessDegradation, finding.Category);
        Assert.Equal("Unhealthy", finding.Reason);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Equal(BusinessHealthMonitor.Subject("team-a", "orders"), finding.Subject);
        Assert.Equal(BusinessHealthMonitor.SourceKey(finding.Subject), change.SourceKey);
        Assert.Equal("orders-api", Assert.Single(finding.Related).Name);
        Assert.Contains(finding.Evidence, e => e.Contains("payment gateway timeouts", StringComparison.Ordinal));
    }

    [Fact]
    public void Advance_UnhealthyReportedOnce_RaisesOnlyAfterTheDebounce()
    {
        var monitor = new BusinessHealthMonitor(new BusinessHealthOptions());
        Feed(monitor, Status(0, false, 100, "down"));

        Assert.Empty(monitor.Advance(T0.AddSeconds(59)));
        Assert.Single(Assert.Single(monitor.Advance(T0.AddSeconds(60))).Findings);
        Assert.Empty(monitor.Advance(T0.AddSeconds(90)));
    }

    [Fact]
    public void Observe_KpiDropWhileReportedHealthy_RaisesKpiDrop()
    {
        var monitor = new BusinessHealthMonitor(new BusinessHealthOptions());
        Feed(monitor, Healthy(10));

        var changes = Feed(monitor, Status(300, true, 64));

        var finding = Assert.Single(Assert.Single(changes).Findings);
        Assert.Equal("KpiDrop", finding.Reason);
        Assert.Contains(finding.Evidence, e => e.StartsWith("KPI orders_per_minute 64, 47% below", StringComparison.Ordinal));
    }

    [Fact]
    public void Observe_LowerIsBetterKpiFallsOrFewBaselineReports_NothingRaised()
    {
        var monitor = new BusinessHealthMonitor(new BusinessHealthOptions());

        // Two reports are not a baseline; an error ratio falling is good news.
        var changes = Feed(monitor, Status(0, true, 120), Status(30, true, 120), Status(60, true, 10));

        Assert.Empty(changes);
    }

    [Fact]
    public void Observe_ErrorBurst_RaisesThenClearsOnceTheWindowPasses()
    {
        var monitor = new BusinessHealthMonitor(new BusinessHealthOptions());
        Feed(monitor, Healthy(4));

        var quiet = Feed(monitor, Event(200, "Warning", "PaymentTimeouts"), Event(210, "Error", "FulfilmentBacklog"), Log(215, Schemas.V1.LogLevel.Info, "ok"));
        var burst = Feed(monitor, Log(220, Schemas.V1.LogLevel.Error, "POST /pay timeout"), Log(230, Schemas.V1.LogLevel.Fatal, "worker died"));
        var cleared = monitor.Advance(T0.AddSeconds(210 + 300));

        Assert.Empty(quiet);
        var finding = Assert.Single(Assert.Single(burst).Findings);
        Assert.Equal("ErrorBurst", finding.Reason);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains(finding.Evidence, e => e.Contains("POST /pay timeout", StringComparison.Ordinal));
        Assert.Empty(Assert.Single(cleared).Findings);
    }

    [Fact]
    public void Observe_HealthyAgain_Clears()
    {
        var monitor = new BusinessHealthMonitor(new BusinessHealthOptions());
        Feed(monitor, Healthy(4));
        Feed(monitor, Status(200, false, 120, "down"), Status(290, false, 120, "down"));

        var changes = Feed(monitor, Status(320, true, 121));

        Assert.Empty(Assert.Single(changes).Findings);
    }

    [Fact]
    public void Observe_ConfigRunbookOrNamelessRecords_Ignored()
    {
        var monitor = new BusinessHealthMonitor(new BusinessHealthOptions());

        var changes = Feed(
            monitor,
            new BusinessRecord { Adapter = "orders", Subject = System, At = Timestamp.FromDateTimeOffset(T0), Config = new BusinessConfig { Version = "1" } },
            new BusinessRecord { Adapter = "orders", Subject = System, At = Timestamp.FromDateTimeOffset(T0), Runbook = new Runbook { Id = "r" } },
            new BusinessRecord { Subject = System, At = Timestamp.FromDateTimeOffset(T0), Status = new BusinessStatus() },
            new BusinessRecord { Adapter = "orders", Subject = System, Status = new BusinessStatus() });

        Assert.Empty(changes);
        Assert.Equal(0, monitor.AdapterCount);
    }

    [Fact]
    public void Snapshot_Restored_KeepsTheDebounceBaselinesAndActiveFinding()
    {
        var original = new BusinessHealthMonitor(new BusinessHealthOptions());
        Feed(original, Healthy(10));
        Feed(original, Status(300, false, 118, "down"));
        var restored = new BusinessHealthMonitor(new BusinessHealthOptions());

        restored.Restore(original.Snapshot());

        var raised = Assert.Single(restored.Advance(T0.AddSeconds(360)));
        Assert.Equal("Unhealthy", Assert.Single(raised.Findings).Reason);
        var drop = Feed(restored, Status(390, true, 50));
        Assert.Equal("KpiDrop", Assert.Single(Assert.Single(drop).Findings).Reason);
        Assert.Throws<InvalidDataException>(() => restored.Restore(original.Snapshot().AsSpan(0, 30)));
    }

    [Fact]
    public void Observe_MoreAdaptersThanAllowed_EvictsTheLeastRecent()
    {
        var monitor = new BusinessHealthMonitor(new BusinessHealthOptions { MaxAdapters = 1 });
        Feed(monitor, Status(0, false, 1, "down"));
        Assert.Single(monitor.Advance(T0.AddMinutes(5)));

        var other = Status(400, true, 10);
        other.Adapter = "billing";
        var changes = Feed(monitor, other);

        Assert.Equal(1, monitor.AdapterCount);
        Assert.Empty(Assert.Single(changes).Findings);
    }
}
