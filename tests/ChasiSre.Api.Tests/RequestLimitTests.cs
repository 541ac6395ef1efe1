using System.Net;
using System.Text;

namespace ChasiSre.Api.Tests;

public sealed class RequestLimitTests(ApiFixture fixture)
{
    private const string Path = "api/v1/alerts/alertmanager";

    [Fact]
    public async Task Post_BodyOverLimitByContentLength_Returns413ProblemWithTheLimit()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);
        var body = new string(' ', (int)ApiOptions.DefaultMaxRequestBodyBytes) + "{}";

        using var response = await client.PostAsync(Path, new StringContent(body, Encoding.UTF8, "application/json"), ct);

        var problem = await Http.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, ct);
        Assert.Contains(ApiOptions.DefaultMaxRequestBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ChunkedBodyOverConfiguredLimit_Returns413()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct, new Dictionary<string, string?> { ["Api:MaxRequestBodyBytes"] = "4096" });
        using var client = host.Client(ApiHost.Admin);
        var alerts = string.Join(",", Enumerable.Range(0, 80).Select(n => $"{{\"status\":\"firing\",\"labels\":{{\"alertname\":\"A{n}\"}},\"startsAt\":\"2025-03-01T08:00:00Z\"}}"));
        var body = Encoding.UTF8.GetBytes($"{{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[{alerts}]}}");
        Assert.True(body.Length > 4096);
        using var content = new StreamContent(new UnseekableStream(body));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await client.PostAsync(Path, content, ct);

        Assert.Null(response.RequestMessage?.Content?.Headers.ContentLength);
        await Http.ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, ct);
    }

    [Fact]
    public async Task Post_MoreAlertsThanAllowed_Returns400NamingAlerts()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct, new Dictionary<string, string?> { ["Api:Alertmanager:MaxAlertsPerRequest"] = "2" });
        using var client = host.Client(ApiHost.Admin);
        var alerts = string.Join(",", Enumerable.Range(0, 3).Select(n => $"{{\"status\":\"firing\",\"labels\":{{\"alertname\":\"A{n}\"}},\"startsAt\":\"2025-03-01T08:00:00Z\"}}"));

        using var response = await client.PostAsync(Path, new StringContent($"{{\"version\":\"4\",\"alerts\":[{alerts}]}}", Encoding.UTF8, "application/json"), ct);

        Assert.Equal(["alerts"], Http.ErrorFields(await Http.ProblemAsync(response, HttpStatusCode.BadRequest, ct)));
    }

    [Fact]
    public async Task Get_OverTheTokensBurst_Returns429WithRetryAfterWhileOtherTokensPass()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct, new Dictionary<string, string?>
        {
            ["Api:RateLimit:Burst"] = "3",
            ["Api:RateLimit:PermitsPerPeriod"] = "1",
            ["Api:RateLimit:Period"] = "00:10:00",
        });
        using var teamA = host.Client(ApiHost.TeamA);
        using var admin = host.Client(ApiHost.Admin);

        for (var i = 0; i < 3; i++)
        {
            using var allowed = await teamA.GetAsync("api/v1/incidents?limit=1", ct);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var limited = await teamA.GetAsync("api/v1/incidents?limit=1", ct);
        using var other = await admin.GetAsync("api/v1/incidents?limit=1", ct);

        var problem = await Http.ProblemAsync(limited, HttpStatusCode.TooManyRequests, ct);
        Assert.Contains("team-a", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Get_ManyCallsWithoutValidToken_AreRateLimitedPerAddress()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct, new Dictionary<string, string?>
        {
            ["Api:RateLimit:AnonymousBurst"] = "2",
            ["Api:RateLimit:AnonymousPermitsPerPeriod"] = "1",
            ["Api:RateLimit:Period"] = "00:10:00",
        });
        using var guesser = host.Client(ApiTokenHasher.NewToken());

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await guesser.GetAsync("api/v1/incidents", ct);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
    }

    /// <summary>A stream of unknown length, so HttpClient sends the body chunked, without Content-Length.</summary>
    private sealed class UnseekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
