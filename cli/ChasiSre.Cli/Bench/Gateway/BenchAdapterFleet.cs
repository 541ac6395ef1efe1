using System.Globalization;
using System.Net;
using System.Text;
using ChasiSre.Schemas.V1;
using ChasiSre.Sdk;
using ChasiSre.Sdk.Samples.Orders;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Cli.Bench.Gateway;

/// <summary>
/// N lightweight adapters in one Kestrel host: one listening port per adapter (each looks like its own
/// pod to the gateway: its own address and connection pool), each port backed by an
/// <see cref="OrdersAdapter"/> (every tenth degraded) and answered with the HTTP/JSON contract: bearer
/// token check, the requested window and limit, newest first. The SDK's hosting serves one adapter per
/// host, which would mean N web hosts; this speaks the same wire format at a fraction of the cost.
/// </summary>
internal sealed class BenchAdapterFleet : IAsyncDisposable
{
    public const string Token = "bench-adapter-token";
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);
    private readonly WebApplication app;
    private readonly List<ListenOptions> listeners;
    private readonly Dictionary<int, (int Index, OrdersAdapter Adapter)> byPort = [];
    private long requests;

    private BenchAdapterFleet(WebApplication app, List<ListenOptions> listeners)
    {
        this.app = app;
        this.listeners = listeners;
    }

    public IReadOnlyList<int> Ports => [.. listeners.Select(l => l.IPEndPoint!.Port)];

    public long Requests => Interlocked.Read(ref requests);

    public static async Task<BenchAdapterFleet> StartAsync(int count, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var listeners = new List<ListenOptions>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            for (var i = 0; i < count; i++)
            {
                kestrel.Listen(IPAddress.Loopback, 0, l =>
                {
                    l.Protocols = HttpProtocols.Http1;
                    listeners.Add(l);
                });
            }
        });
        var app = builder.Build();
        var fleet = new BenchAdapterFleet(app, listeners);
        app.MapPost("/chasi/v1/{operation}", fleet.HandleAsync);
        await app.StartAsync(cancellationToken);
        for (var i = 0; i < listeners.Count; i++)
        {
            fleet.byPort[listeners[i].IPEndPoint!.Port] = (i, new OrdersAdapter(TimeProvider.System) { Degraded = i % 10 == 0 });
        }

        return fleet;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task<IResult> HandleAsync(HttpContext context, string operation)
    {
        Interlocked.Increment(ref requests);
        if (context.Request.Headers.Authorization.ToString() != "Bearer " + Token)
        {
            return Results.Text("""{"code":"UNAUTHENTICATED","message":"missing or wrong bearer token"}""", "application/json", Encoding.UTF8, 401);
        }

        if (!byPort.TryGetValue(context.Connection.LocalPort, out var entry))
        {
            return Results.NotFound();
        }

        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var ct = context.RequestAborted;
        IMessage response = operation switch
        {
            "status" => Status(entry.Index, await entry.Adapter.GetStatusAsync(ct)),
            "events" => await EventsAsync(entry.Adapter, Parser.Parse<GetEventsRequest>(Empty(body)), ct),
            "logs" => await LogsAsync(entry.Adapter, Parser.Parse<QueryLogsRequest>(Empty(body)), ct),
            "runbooks" => Runbooks(await entry.Adapter.ListRunbooksAsync(ct)),
            _ => new AdapterError { Code = "UNIMPLEMENTED", Message = "not served by the bench fleet" },
        };
        return response is AdapterError
            ? Results.Text(Formatter.Format(response), "application/json", Encoding.UTF8, 501)
            : Results.Text(Formatter.Format(response), "application/json", Encoding.UTF8);
    }

    private static string Empty(string body) => body.Length == 0 ? "{}" : body;

    private static GetStatusResponse Status(int index, StatusSnapshot status)
    {
        var result = new BusinessStatus { Healthy = status.Healthy, Summary = status.Summary };
        foreach (var (name, value) in status.Metrics)
        {
            result.Metrics[name] = value;
        }

        foreach (var dependency in status.DependsOn)
        {
            result.DependsOn.Add(new ObjectRef { ApiVersion = dependency.ApiVersion, Kind = dependency.Kind, Namespace = dependency.Namespace, Name = dependency.Name });
        }

        return new GetStatusResponse
        {
            Adapter = string.Create(CultureInfo.InvariantCulture, $"orders-{index}"),
            At = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            Status = result,
            SdkVersion = "bench",
        };
    }

    private static async Task<GetEventsResponse> EventsAsync(OrdersAdapter adapter, GetEventsRequest request, CancellationToken cancellationToken)
    {
        var limit = request.Limit is > 0 and < 1000 ? request.Limit : 1000;
        var window = new TimeWindow(request.Range.From.ToDateTimeOffset(), request.Range.To.ToDateTimeOffset());
        var entries = await adapter.GetEventsAsync(new EventQuery(window, [], limit + 1), cancellationToken);
        var response = new GetEventsResponse { Truncated = entries.Count > limit };
        foreach (var entry in entries.Where(e => window.Contains(e.At)).Take(limit))
        {
            response.Events.Add(new AdapterEvent
            {
                Id = entry.Id,
                At = Timestamp.FromDateTimeOffset(entry.At),
                Event = new BusinessEvent { Type = entry.Type.ToString(), Reason = entry.Reason, Message = entry.Message },
            });
        }

        return response;
    }

    private static async Task<QueryLogsResponse> LogsAsync(OrdersAdapter adapter, QueryLogsRequest request, CancellationToken cancellationToken)
    {
        var limit = request.Limit is > 0 and < 1000 ? request.Limit : 1000;
        var window = new TimeWindow(request.Range.From.ToDateTimeOffset(), request.Range.To.ToDateTimeOffset());
        var lines = await adapter.QueryLogsAsync(new LogQuery(window, [], limit + 1), cancellationToken);
        var response = new QueryLogsResponse { Truncated = lines.Count > limit };
        foreach (var line in lines.Where(l => window.Contains(l.At)).Take(limit))
        {
            var record = new LogRecord
            {
                At = Timestamp.FromDateTimeOffset(line.At),
                Level = line.Level switch
                {
                    Microsoft.Extensions.Logging.LogLevel.Error => Schemas.V1.LogLevel.Error,
                    Microsoft.Extensions.Logging.LogLevel.Warning => Schemas.V1.LogLevel.Warn,
                    _ => Schemas.V1.LogLevel.Info,
                },
                Message = line.Message,
            };
            foreach (var (key, value) in line.Attributes)
            {
                record.Attributes[key] = value;
            }

            response.Logs.Add(record);
        }

        return response;
    }

    private static ListRunbooksResponse Runbooks(IReadOnlyList<RunbookInfo> runbooks)
    {
        var response = new ListRunbooksResponse();
        foreach (var runbook in runbooks)
        {
            var item = new Runbook { Id = runbook.Id, Title = runbook.Title, Body = runbook.Body };
            item.Tags.Add(runbook.Tags);
            response.Runbooks.Add(item);
        }

        return response;
    }
}
