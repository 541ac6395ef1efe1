using System.Collections.Concurrent;
using System.Net;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using ChasiSre.Sdk;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Executor.Tests;

/// <summary>execute-runbook against a business adapter served by the real SDK on Kestrel (HTTP/JSON, bearer token), as a business pod serves it.</summary>
public sealed class RunbookFlowTests
{
    private const string Token = "runbook-token-7c1e";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An orders system with one runbook; remembers every execution by request id.</summary>
    private sealed class OrdersAdapter : IBusinessAdapter
    {
        public ConcurrentQueue<RunbookRequest> Executed { get; } = new();

        public Task<StatusSnapshot> GetStatusAsync(CancellationToken cancellationToken = default) => Task.FromResult(new StatusSnapshot(false, "payment timeouts"));

        public Task<IReadOnlyList<LogEntry>> QueryLogsAsync(LogQuery query, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<LogEntry>>([]);

        public Task<IReadOnlyList<EventEntry>> GetEventsAsync(EventQuery query, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<EventEntry>>([]);

        public Task<ConfigurationSnapshot> GetConfigurationAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult(new ConfigurationSnapshot("1", new Dictionary<string, string>()));

        public Task<IReadOnlyList<RunbookInfo>> ListRunbooksAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<RunbookInfo>>([new RunbookInfo("restart-payment-worker", "Restart the payment worker", "Restarts the worker pool.")]);

        public Task<RunbookResult> ExecuteRunbookAsync(RunbookRequest request, CancellationToken cancellationToken = default)
        {
            Executed.Enqueue(request);
            return Task.FromResult(request.RunbookId == "restart-payment-worker"
                ? RunbookResult.Succeeded("worker pool restarted", new Dictionary<string, string> { ["workers"] = "4", ["session_token"] = "tok-123" })
                : RunbookResult.UnknownRunbook(request.RunbookId));
        }
    }

    [Fact]
    public async Task Flow_ExecuteRunbook_ListedThenRunOnceByActionIdAndVerified_UnlistedFailsDryRun()
    {
        var adapter = new OrdersAdapter();
        await using var app = await StartAdapterAsync(adapter);
        var address = new Uri(app.Urls.First() + "/");
        var tokenFile = Path.Combine(Path.GetTempPath(), $"chasi-token-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(tokenFile, Token + "\n", Ct);
        try
        {
            await using var h = await FlowHarness.StartAsync(configure: o => o.Adapters["vc-shop/web/orders"] = new RunbookAdapterOptions { Url = address, TokenFile = tokenFile });
            var target = new ObjectRef
            {
                Cluster = FlowHarness.ShopCluster,
                Tenant = FlowHarness.Tenant,
                Layer = Layer.Business,
                ApiVersion = "business.chasi.io/v1",
                Kind = "BusinessAdapter",
                Namespace = FlowHarness.Namespace,
                Name = "orders",
            };

            await h.ProposeAsync("inc-orders", target, FlowHarness.Remediation("action-1", RemediationCatalog.ExecuteRunbook, target, ("runbook", "restart-payment-worker")));
            var id = FlowHarness.ActionId("inc-orders", "action-1");
            var pending = await h.WaitForAsync(id, ActionPhase.PendingApproval);
            Assert.Empty(adapter.Executed);
            Assert.StartsWith("runbook restart-payment-worker on adapter vc-shop/web/orders", pending.Diff, StringComparison.Ordinal);

            await h.Decisions.PublishAsync(id, HumanDecision.Approve, "user:alice", "", Ct);
            var done = await h.WaitForAsync(id, ActionPhase.Succeeded);
            await h.PublishAsync(FlowHarness.Incident("inc-orders", target, 2, IncidentState.Resolved));
            await h.WaitForAsync(id, ActionPhase.Verified);

            var request = Assert.Single(adapter.Executed);
            Assert.Equal(id, request.RequestId);
            Assert.Equal("runbook restart-payment-worker: Succeeded: worker pool restarted (session_token=[redacted], workers=4)", done.Reason);
            Assert.Equal("", done.RollbackState);
            Assert.DoesNotContain(await h.RecordsAsync(id), r => r.ToString().Contains("tok-123", StringComparison.Ordinal));

            // A runbook the adapter does not list fails its dry run; nothing is executed.
            await h.ProposeAsync("inc-orders-2", target, FlowHarness.Remediation("action-1", RemediationCatalog.ExecuteRunbook, target, ("runbook", "drop-database")));
            var unlisted = await h.WaitForAsync(FlowHarness.ActionId("inc-orders-2", "action-1"), ActionPhase.Failed);
            Assert.Equal("dry run failed: adapter 'vc-shop/web/orders' lists no runbook 'drop-database'", unlisted.Reason);
            Assert.Single(adapter.Executed);
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public async Task Flow_ExecuteRunbook_WrongToken_FailsWithTheAdaptersAnswer()
    {
        var adapter = new OrdersAdapter();
        await using var app = await StartAdapterAsync(adapter);
        var tokenFile = Path.Combine(Path.GetTempPath(), $"chasi-token-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(tokenFile, "not-the-token", Ct);
        try
        {
            await using var h = await FlowHarness.StartAsync(configure: o => o.Adapters["vc-shop/web/orders"] = new RunbookAdapterOptions { Url = new Uri(app.Urls.First() + "/"), TokenFile = tokenFile });
            var target = new ObjectRef { Cluster = FlowHarness.ShopCluster, Tenant = FlowHarness.Tenant, Layer = Layer.Business, Kind = "BusinessAdapter", Namespace = FlowHarness.Namespace, Name = "orders" };

            await h.ProposeAsync("inc-orders", target, FlowHarness.Remediation("action-1", RemediationCatalog.ExecuteRunbook, target, ("runbook", "restart-payment-worker")));
            var failed = await h.WaitForAsync(FlowHarness.ActionId("inc-orders", "action-1"), ActionPhase.Failed);

            Assert.StartsWith("dry run failed: adapter 'vc-shop/web/orders' runbooks: 401 UNAUTHENTICATED", failed.Reason, StringComparison.Ordinal);
            Assert.Empty(adapter.Executed);
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    private static async Task<WebApplication> StartAdapterAsync(IBusinessAdapter adapter)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1));
        builder.Services.AddChasiSreAdapter(adapter, o =>
        {
            o.Name = "orders";
            o.Token = Token;
        });
        var app = builder.Build();
        app.MapChasiSreAdapter();
        await app.StartAsync(Ct);
        return app;
    }
}
