using System.Text;
using ChasiSre.Sdk.Samples.Orders;
using ChasiSre.Sdk.Testing;
using Microsoft.AspNetCore.Http;

namespace ChasiSre.Sdk.Tests;

/// <summary>The conformance kit against the orders sample (passes) and against deliberately broken adapters (precise failures).</summary>
public sealed class ConformanceTests
{
    public enum Breakage
    {
        WrongSchema,
        Slow,
        Oversized,
        NoAuth,
        LeaksSecrets,
        WrongErrorCode,
    }

    [Theory]
    [InlineData(AdapterTransport.Http, false)]
    [InlineData(AdapterTransport.Grpc, false)]
    [InlineData(AdapterTransport.Http, true)]
    public async Task RunAsync_OrdersSample_EveryCheckPasses(AdapterTransport transport, bool degraded)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sample = OrdersSampleHost.Create(new OrdersSampleOptions { Token = "sample-token", Degraded = degraded });
        await sample.StartAsync(ct);

        var report = await AdapterConformance.RunAsync(
            new ConformanceOptions { Url = transport == AdapterTransport.Grpc ? sample.GrpcAddress : sample.Address, Token = "sample-token", Transport = transport },
            ct);

        Assert.True(report.Passed, string.Join("\n", report.Checks.Where(c => c.Status != CheckStatus.Pass).Select(c => $"{c.Id}: {c.Detail}")));
        Assert.All(report.Checks, c => Assert.Equal(CheckStatus.Pass, c.Status));
        Assert.Equal(22, report.Checks.Count);
    }

    [Theory]
    [InlineData(Breakage.WrongSchema, new[] { "status.schema" })]
    [InlineData(Breakage.Slow, new[] { "configuration.latency" })]
    [InlineData(Breakage.Oversized, new[] { "runbooks.size" })]
    [InlineData(Breakage.NoAuth, new[] { "auth.missing-token", "auth.wrong-token" })]
    [InlineData(Breakage.LeaksSecrets, new[] { "configuration.secrets" })]
    [InlineData(Breakage.WrongErrorCode, new[] { "errors.invalid-range" })]
    public async Task RunAsync_BrokenAdapter_FailsExactlyTheMatchingChecks(Breakage breakage, string[] failing)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await AdapterHost.StartAsync(
            new OrdersAdapter(TimeProvider.System),
            o => o.AllowAnonymous = breakage == Breakage.NoAuth,
            Break(breakage),
            cancellationToken: ct);

        var report = await AdapterConformance.RunAsync(
            new ConformanceOptions { Url = host.Address, Token = AdapterHost.Token, CallTimeout = TimeSpan.FromSeconds(5), MaxResponseBytes = 1024 * 1024 },
            ct);

        Assert.False(report.Passed);
        Assert.Equal(failing.Order(), report.Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Id).Order());
        Assert.All(failing, id => Assert.False(string.IsNullOrWhiteSpace(report[id].Detail)));
        switch (breakage)
        {
            case Breakage.WrongSchema:
                Assert.Contains("chasi.v1.GetStatusResponse", report["status.schema"].Detail, StringComparison.Ordinal);
                break;
            case Breakage.Slow:
                Assert.Equal(CheckStatus.Skip, report["configuration.schema"].Status);
                Assert.Equal(CheckStatus.Skip, report["configuration.secrets"].Status);
                Assert.Contains("5000 ms", report["configuration.latency"].Detail, StringComparison.Ordinal);
                break;
            case Breakage.Oversized:
                Assert.Contains("1048576", report["runbooks.size"].Detail, StringComparison.Ordinal);
                break;
            case Breakage.NoAuth:
                Assert.Contains("succeeded", report["auth.missing-token"].Detail, StringComparison.Ordinal);
                break;
            case Breakage.LeaksSecrets:
                Assert.Contains("db.password", report["configuration.secrets"].Detail, StringComparison.Ordinal);
                break;
            case Breakage.WrongErrorCode:
                Assert.Contains("INTERNAL", report["errors.invalid-range"].Detail, StringComparison.Ordinal);
                break;
        }
    }

    [Fact]
    public async Task RunAsync_SlowAdapterOverGrpc_LatencyFailsWithDeadline()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await AdapterHost.StartAsync(new SlowStatusAdapter(), cancellationToken: ct);

        var report = await AdapterConformance.RunAsync(
            new ConformanceOptions { Url = host.GrpcAddress, Token = AdapterHost.Token, Transport = AdapterTransport.Grpc, CallTimeout = TimeSpan.FromSeconds(5) },
            ct);

        Assert.Equal(CheckStatus.Fail, report["status.latency"].Status);
        Assert.Equal(CheckStatus.Skip, report["status.schema"].Status);
        Assert.Equal(CheckStatus.Pass, report["auth.missing-token"].Status);
        Assert.Equal(CheckStatus.Pass, report["errors.invalid-range"].Status);
        Assert.Equal(CheckStatus.Pass, report["logs.latency"].Status);
    }

    [Fact]
    public async Task RunAsync_NothingListening_FailsAsUnreachable()
    {
        var ct = TestContext.Current.CancellationToken;
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var report = await AdapterConformance.RunAsync(new ConformanceOptions { Url = new Uri($"http://127.0.0.1:{port}/"), Token = "t" }, ct);

        Assert.False(report.Passed);
        Assert.Contains("unreachable", report["status.latency"].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToJson_Report_SnakeCaseWithStatusNames()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sample = OrdersSampleHost.Create(new OrdersSampleOptions { Token = "t0" });
        await sample.StartAsync(ct);

        var report = await AdapterConformance.RunAsync(new ConformanceOptions { Url = sample.Address, Token = "t0" }, ct);
        using var json = System.Text.Json.JsonDocument.Parse(report.ToJson());

        Assert.True(json.RootElement.GetProperty("passed").GetBoolean());
        Assert.Equal("Http", json.RootElement.GetProperty("transport").GetString());
        var first = json.RootElement.GetProperty("checks")[0];
        Assert.Equal("auth.missing-token", first.GetProperty("id").GetString());
        Assert.Equal("Pass", first.GetProperty("status").GetString());
        Assert.True(first.TryGetProperty("duration_ms", out _));
    }

    /// <summary>Middleware that breaks one aspect of an otherwise correct SDK adapter.</summary>
    private static Func<HttpContext, Func<Task>, Task>? Break(Breakage breakage) => breakage switch
    {
        Breakage.WrongSchema => (context, next) => context.Request.Path == "/chasi/v1/status" && context.Request.Headers.Authorization == "Bearer " + AdapterHost.Token
            ? Json(context, 200, "{\"adapter\":\"orders\",\"status\":{\"healthy\":\"very\",\"summary\":1}}")
            : next(),
        Breakage.Slow => async (context, next) =>
        {
            if (context.Request.Path == "/chasi/v1/configuration")
            {
                await Task.Delay(TimeSpan.FromSeconds(12), context.RequestAborted);
            }

            await next();
        }
        ,
        Breakage.Oversized => (context, next) => context.Request.Path == "/chasi/v1/runbooks"
            ? Json(context, 200, "{\"runbooks\":[" + string.Join(",", Enumerable.Range(0, 2000).Select(i => $"{{\"id\":\"rb-{i}\",\"title\":\"t\",\"body\":\"{new string('x', 1000)}\"}}")) + "]}")
            : next(),
        Breakage.LeaksSecrets => (context, next) => context.Request.Path == "/chasi/v1/configuration"
            ? Json(context, 200, "{\"config\":{\"version\":\"1\",\"values\":{\"db.password\":\"hunter2\"}}}")
            : next(),
        Breakage.WrongErrorCode => async (context, next) =>
        {
            if (context.Request.Path == "/chasi/v1/logs" && context.Request.ContentLength is < 400)
            {
                // Answers a bad range (a small request) as an internal error instead of INVALID_ARGUMENT.
                using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
                var body = await reader.ReadToEndAsync(context.RequestAborted);
                if (!body.Contains("limit", StringComparison.Ordinal))
                {
                    await Json(context, 500, "{\"code\":\"INTERNAL\",\"message\":\"boom\"}");
                    return;
                }

                context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
            }

            await next();
        }
        ,
        _ => null,
    };

    /// <summary>GetStatus takes 30 s (until cancelled); everything else answers at once.</summary>
    private sealed class SlowStatusAdapter : TestAdapter, IBusinessAdapter
    {
        async Task<StatusSnapshot> IBusinessAdapter.GetStatusAsync(CancellationToken cancellationToken)
        {
            await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken);
            return Status;
        }
    }

    private static Task Json(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }
}
