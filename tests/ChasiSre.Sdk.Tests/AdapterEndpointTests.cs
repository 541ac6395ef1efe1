using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ChasiSre.Schemas.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace ChasiSre.Sdk.Tests;

/// <summary>Pull mode over real Kestrel: both transports, auth, limits, timeouts, error codes and contract enforcement.</summary>
public sealed class AdapterEndpointTests
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    [Fact]
    public async Task HttpStatus_WithToken_ReturnsStatusJson()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await AdapterHost.StartAsync(new TestAdapter(), cancellationToken: ct);

        var (code, body) = await PostAsync(host, "status", "", AdapterHost.Token, ct);

        Assert.Equal(HttpStatusCode.OK, code);
        var response = Parser.Parse<GetStatusResponse>(body);
        Assert.Equal("test", response.Adapter);
        Assert.True(response.Status.Healthy);
        Assert.Equal(120, response.Status.Metrics["orders_per_minute"]);
        Assert.False(response.ExecutesRunbooks);
        Assert.False(string.IsNullOrEmpty(response.SdkVersion));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    public async Task HttpStatus_WithoutValidToken_Returns401WithAdapterError(string? token)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await AdapterHost.StartAsync(new TestAdapter(), cancellationToken: ct);

        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.Address, "chasi/v1/status"));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("UNAUTHENTICATED", Parser.Parse<AdapterError>(await response.Content.ReadAsStringAsync(ct)).Code);
    }

    [Fact]
    public async Task GrpcStatus_WithToken_ReturnsStatusAndWrongTokenUnauthenticated()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await AdapterHost.StartAsync(new TestAdapter(), cancellationToken: ct);
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var client = new BusinessAdapter.BusinessAdapterClient(channel);

        var response = await client.GetStatusAsync(new GetStatusRequest(), Auth(AdapterHost.Token), cancellationToken: ct);
        var denied = await Assert.ThrowsAsync<RpcException>(async () => await client.GetStatusAsync(new GetStatusRequest(), Auth("nope"), cancellationToken: ct));

        Assert.Equal("all good", response.Status.Summary);
        Assert.Equal(StatusCode.Unauthenticated, denied.StatusCode);
    }

    [Fact]
    public async Task GrpcStatus_SlowAdapter_DeadlineExceededAndAdapterCancelled()
    {
        var ct = TestContext.Current.CancellationToken;
        var adapter = new TestAdapter { Delay = TimeSpan.FromSeconds(30) };
        await using var host = await AdapterHost.StartAsync(adapter, o => o.OperationTimeout = TimeSpan.FromMilliseconds(200), cancellationToken: ct);
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var client = new BusinessAdapter.BusinessAdapterClient(channel);
        var started = TimeProvider.System.GetTimestamp();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.GetStatusAsync(new GetStatusRequest(), Auth(AdapterHost.Token), cancellationToken: ct));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(10));
        await adapter.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
    }

    [Fact]
    public async Task HttpLogs_AdapterIgnoringItsToken_504AtTheTimeout()
    {
        var ct = TestContext.Current.CancellationToken;
        var adapter = new NonCooperativeAdapter();
        await using var host = await AdapterHost.StartAsync(adapter, o => o.OperationTimeout = TimeSpan.FromMilliseconds(200), cancellationToken: ct);

        var (code, body) = await PostAsync(host, "logs", LogsRequest(TimeSpan.FromHours(1)), AdapterHost.Token, ct);
        adapter.Release.TrySetResult();

        Assert.Equal(HttpStatusCode.GatewayTimeout, code);
        Assert.Equal("DEADLINE_EXCEEDED", Parser.Parse<AdapterError>(body).Code);
    }

    [Fact]
    public async Task HttpStatus_AdapterThrows_500WithoutTheExceptionMessage()
    {
        var ct = TestContext.Current.CancellationToken;
        var adapter = new TestAdapter { Failure = new InvalidOperationException("db password is hunter2") };
        await using var host = await AdapterHost.StartAsync(adapter, cancellationToken: ct);

        var (code, body) = await PostAsync(host, "status", "", AdapterHost.Token, ct);

        Assert.Equal(HttpStatusCode.InternalServerError, code);
        var error = Parser.Parse<AdapterError>(body);
        Assert.Equal("INTERNAL", error.Code);
        Assert.Contains("InvalidOperationException", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpLogs_OversizedRequest_413()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await AdapterHost.StartAsync(new TestAdapter(), o => o.MaxRequestBytes = 4096, cancellationToken: ct);
        var request = new QueryLogsRequest();
        request.Keywords.Add(Enumerable.Repeat(new string('k', 100), 100));

        var (code, body) = await PostAsync(host, "logs", JsonFormatter.Default.Format(request), AdapterHost.Token, ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, code);
        Assert.Equal("RESOURCE_EXHAUSTED", Parser.Parse<AdapterError>(body).Code);
    }

    [Fact]
    public async Task GrpcLogs_OversizedRequest_ResourceExhausted()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await AdapterHost.StartAsync(new TestAdapter(), o => o.MaxRequestBytes = 4096, cancellationToken: ct);
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var client = new BusinessAdapter.BusinessAdapterClient(channel);
        var request = Parser.Parse<QueryLogsRequest>(LogsRequest(TimeSpan.FromHours(1)));
        request.Keywords.Add(Enumerable.Repeat(new string('k', 100), 100));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.QueryLogsAsync(request, Auth(AdapterHost.Token), cancellationToken: ct));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Theory]
    [InlineData("{\"range\":{\"from\":\"2026-01-01T00:00:00Z\"}}")]
    [InlineData("{\"range\":{\"from\":\"2026-01-02T00:00:00Z\",\"to\":\"2026-01-01T00:00:00Z\"}}")]
    [InlineData("{\"range\":{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-01-02T00:00:00Z\"},\"limit\":-1}")]
    [InlineData("{\"range\":{\"from\":\"2026-01-01T00:00:00Z\",\"to\":\"2026-01-02T00:00:00Z\"},\"keywords\":[\"\"]}")]
    [InlineData("{not json")]
    public async Task HttpLogs_InvalidRequest_400(string json)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await AdapterHost.StartAsync(new TestAdapter(), cancellationToken: ct);

        var (code, body) = await PostAsync(host, "logs", json, AdapterHost.Token, ct);

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("INVALID_ARGUMENT", Parser.Parse<AdapterError>(body).Code);
    }

    [Fact]
    public async Task HttpLogs_AdapterReturnsTooMuch_SdkFiltersSortsAndLimits()
    {
        var ct = TestContext.Current.CancellationToken;
        var now = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
        var adapter = new TestAdapter();
        adapter.Logs.Add(new LogEntry(now.AddMinutes(-10), LogLevel.Information, "payment ok"));
        adapter.Logs.Add(new LogEntry(now.AddMinutes(-5), LogLevel.Error, "PAYMENT timeout"));
        adapter.Logs.Add(new LogEntry(now.AddMinutes(-1), LogLevel.Warning, "payment slow"));
        adapter.Logs.Add(new LogEntry(now.AddHours(-3), LogLevel.Error, "payment ancient"));
        adapter.Logs.Add(new LogEntry(now.AddMinutes(-2), LogLevel.Information, "unrelated"));
        await using var host = await AdapterHost.StartAsync(adapter, cancellationToken: ct);
        var request = new QueryLogsRequest
        {
            Range = new Schemas.V1.TimeRange { From = Timestamp.FromDateTimeOffset(now.AddHours(-1)), To = Timestamp.FromDateTimeOffset(now) },
            Keywords = { "payment" },
            Limit = 2,
        };

        var (code, body) = await PostAsync(host, "logs", JsonFormatter.Default.Format(request), AdapterHost.Token, ct);

        Assert.Equal(HttpStatusCode.OK, code);
        var response = Parser.Parse<QueryLogsResponse>(body);
        Assert.Equal(["payment slow", "PAYMENT timeout"], response.Logs.Select(l => l.Message));
        Assert.Equal(Schemas.V1.LogLevel.Warn, response.Logs[0].Level);
        Assert.True(response.Truncated);
        Assert.Equal(2, adapter.LastLogQuery!.Limit);
        Assert.Equal(["payment"], adapter.LastLogQuery.Keywords);
    }

    [Fact]
    public async Task HttpLogs_ResponseOverTheLimit_CutToFitAndMarkedTruncated()
    {
        var ct = TestContext.Current.CancellationToken;
        var now = DateTimeOffset.UtcNow;
        var adapter = new TestAdapter();
        for (var i = 0; i < 100; i++)
        {
            adapter.Logs.Add(new LogEntry(now.AddSeconds(-i - 1), LogLevel.Information, new string('x', 500)));
        }

        await using var host = await AdapterHost.StartAsync(adapter, o => o.MaxResponseBytes = 8 * 1024, cancellationToken: ct);

        var (code, body) = await PostAsync(host, "logs", LogsRequest(TimeSpan.FromHours(1)), AdapterHost.Token, ct);

        var response = Parser.Parse<QueryLogsResponse>(body);
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.True(response.Truncated);
        Assert.InRange(response.Logs.Count, 1, 15);
        Assert.True(response.CalculateSize() <= 8 * 1024);
    }

    [Fact]
    public async Task HttpLogs_LongLine_CutAtMaxLengthAndMarked()
    {
        var ct = TestContext.Current.CancellationToken;
        var adapter = new TestAdapter();
        adapter.Logs.Add(new LogEntry(DateTimeOffset.UtcNow.AddSeconds(-1), LogLevel.Error, new string('y', 1000)));
        await using var host = await AdapterHost.StartAsync(adapter, o => o.MaxLogMessageLength = 100, cancellationToken: ct);

        var (_, body) = await PostAsync(host, "logs", LogsRequest(TimeSpan.FromHours(1)), AdapterHost.Token, ct);

        var line = Parser.Parse<QueryLogsResponse>(body).Logs.Single();
        Assert.Equal(100, line.Message.Length);
        Assert.True(line.Truncated);
        Assert.Equal(32, line.Id.Length);
    }

    [Fact]
    public async Task HttpStatus_ResponseOverTheLimit_500ResourceExhausted()
    {
        var ct = TestContext.Current.CancellationToken;
        var adapter = new TestAdapter { Status = new StatusSnapshot(true, new string('s', 4000)) };
        await using var host = await AdapterHost.StartAsync(adapter, o => o.MaxResponseBytes = 1024, cancellationToken: ct);

        var (code, body) = await PostAsync(host, "status", "", AdapterHost.Token, ct);

        Assert.Equal(HttpStatusCode.InternalServerError, code);
        Assert.Equal("RESOURCE_EXHAUSTED", Parser.Parse<AdapterError>(body).Code);
    }

    [Fact]
    public async Task HttpConfiguration_SecretValues_Redacted()
    {
        var ct = TestContext.Current.CancellationToken;
        var adapter = new TestAdapter
        {
            Configuration = new ConfigurationSnapshot("7", new Dictionary<string, string>
            {
                ["db.password"] = "hunter2",
                ["Payment:ApiKey"] = "sk_live_1",
                ["queue.url"] = "amqp://orders:s3cret@rabbit:5672/",
                ["db"] = "Host=db;Username=app;Password=hunter2;Pooling=true",
                ["timeout.ms"] = "2000",
            }),
        };
        await using var host = await AdapterHost.StartAsync(adapter, cancellationToken: ct);

        var (_, body) = await PostAsync(host, "configuration", "", AdapterHost.Token, ct);

        var values = Parser.Parse<GetConfigurationResponse>(body).Config.Values;
        Assert.Equal("[redacted]", values["db.password"]);
        Assert.Equal("[redacted]", values["Payment:ApiKey"]);
        Assert.Equal("amqp://orders:[redacted]@rabbit:5672/", values["queue.url"]);
        Assert.Equal("Host=db;Username=app;Password=[redacted];Pooling=true", values["db"]);
        Assert.Equal("2000", values["timeout.ms"]);
        Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpEvents_UnknownType_400AndFilterApplied()
    {
        var ct = TestContext.Current.CancellationToken;
        var now = DateTimeOffset.UtcNow;
        var adapter = new TestAdapter();
        adapter.Events.Add(new EventEntry("", now.AddMinutes(-1), BusinessEventType.Normal, "Processed", "fine"));
        adapter.Events.Add(new EventEntry("e2", now.AddMinutes(-2), BusinessEventType.Warning, "PaymentTimeouts", "slow"));
        await using var host = await AdapterHost.StartAsync(adapter, cancellationToken: ct);
        var range = $"\"range\":{{\"from\":\"{Timestamp.FromDateTimeOffset(now.AddHours(-1))}\",\"to\":\"{Timestamp.FromDateTimeOffset(now.AddMinutes(1))}\"}}".Replace("\"\"", "\"", StringComparison.Ordinal);

        var (badCode, _) = await PostAsync(host, "events", $"{{{range},\"eventTypes\":[\"Fatal\"]}}", AdapterHost.Token, ct);
        var (code, body) = await PostAsync(host, "events", $"{{{range},\"eventTypes\":[\"Warning\"]}}", AdapterHost.Token, ct);
        var (_, all) = await PostAsync(host, "events", $"{{{range}}}", AdapterHost.Token, ct);

        Assert.Equal(HttpStatusCode.BadRequest, badCode);
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("e2", Parser.Parse<GetEventsResponse>(body).Events.Single().Id);
        var derived = Parser.Parse<GetEventsResponse>(all).Events.First(e => e.Event.Reason == "Processed");
        Assert.Equal(32, derived.Id.Length);
    }

    [Fact]
    public async Task ExecuteRunbook_AdapterWithoutExecution_Unimplemented()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await AdapterHost.StartAsync(new TestAdapter(), cancellationToken: ct);

        var (code, body) = await PostAsync(host, "runbooks/execute", "{\"runbookId\":\"restart\"}", AdapterHost.Token, ct);

        Assert.Equal(HttpStatusCode.NotImplemented, code);
        Assert.Equal("UNIMPLEMENTED", Parser.Parse<AdapterError>(body).Code);
    }

    [Fact]
    public async Task Start_WithoutTokenOrAnonymous_FailsValidation()
    {
        var ct = TestContext.Current.CancellationToken;

        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
            await AdapterHost.StartAsync(new TestAdapter(), o => o.Token = null, cancellationToken: ct));

        Assert.Contains("Token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_InvalidName_FailsValidation()
    {
        var ct = TestContext.Current.CancellationToken;

        await Assert.ThrowsAsync<OptionsValidationException>(async () =>
            await AdapterHost.StartAsync(new TestAdapter(), o => o.Name = "Orders Service", cancellationToken: ct));
    }

    [Fact]
    public async Task HttpStatus_TokenFileRotated_NewTokenAccepted()
    {
        var ct = TestContext.Current.CancellationToken;
        var dir = Directory.CreateTempSubdirectory("chasi-sdk-token-");
        try
        {
            var file = Path.Combine(dir.FullName, "token");
            await File.WriteAllTextAsync(file, "first\n", ct);
            var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
            await using var host = await AdapterHost.StartAsync(new TestAdapter(), o => { o.Token = null; o.TokenFile = file; }, time: time, cancellationToken: ct);

            var (first, _) = await PostAsync(host, "status", "", "first", ct);
            await File.WriteAllTextAsync(file, "second", ct);
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(1));
            time.Advance(TimeSpan.FromSeconds(6));
            var (old, _) = await PostAsync(host, "status", "", "first", ct);
            var (rotated, _) = await PostAsync(host, "status", "", "second", ct);

            Assert.Equal(HttpStatusCode.OK, first);
            Assert.Equal(HttpStatusCode.Unauthorized, old);
            Assert.Equal(HttpStatusCode.OK, rotated);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    internal static string LogsRequest(TimeSpan back)
    {
        var now = DateTimeOffset.UtcNow;
        return JsonFormatter.Default.Format(new QueryLogsRequest
        {
            Range = new Schemas.V1.TimeRange { From = Timestamp.FromDateTimeOffset(now - back), To = Timestamp.FromDateTimeOffset(now.AddMinutes(1)) },
        });
    }

    internal static async Task<(HttpStatusCode Code, string Body)> PostAsync(AdapterHost host, string path, string json, string? token, CancellationToken ct)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.Address, "chasi/v1/" + path))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request, ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }

    private static Metadata Auth(string token) => new() { { "authorization", "Bearer " + token } };

    /// <summary>Never looks at its token: the SDK must still answer at the timeout.</summary>
    private sealed class NonCooperativeAdapter : TestAdapter, IBusinessAdapter
    {
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task<IReadOnlyList<LogEntry>> IBusinessAdapter.QueryLogsAsync(LogQuery query, CancellationToken cancellationToken)
        {
            await Release.Task.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
            return [];
        }
    }
}
