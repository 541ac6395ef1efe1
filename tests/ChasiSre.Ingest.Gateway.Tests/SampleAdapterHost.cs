using System.Net;
using ChasiSre.Sdk;
using ChasiSre.Sdk.Samples.Orders;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Ingest.Gateway.Tests;

/// <summary>The orders sample served by the real SDK on Kestrel (HTTP/JSON and gRPC, ports 0), with a bearer token.</summary>
internal sealed class SampleAdapterHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ListenOptions http;
    private readonly ListenOptions grpc;

    private SampleAdapterHost(WebApplication app, InstrumentedOrdersAdapter adapter, ListenOptions http, ListenOptions grpc)
    {
        this.app = app;
        this.http = http;
        this.grpc = grpc;
        Adapter = adapter;
    }

    public InstrumentedOrdersAdapter Adapter { get; }

    public int HttpPort => http.IPEndPoint!.Port;

    public int GrpcPort => grpc.IPEndPoint!.Port;

    public static async Task<SampleAdapterHost> StartAsync(string token, bool degraded, CancellationToken cancellationToken, TimeSpan? operationTimeout = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        ListenOptions? http = null, grpc = null;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, l => (http = l).Protocols = HttpProtocols.Http1);
            k.Listen(IPAddress.Loopback, 0, l => (grpc = l).Protocols = HttpProtocols.Http2);
        });
        var adapter = new InstrumentedOrdersAdapter(new OrdersAdapter(TimeProvider.System) { Degraded = degraded });
        builder.Services.AddChasiSreAdapter(adapter, o =>
        {
            o.Name = "orders";
            o.Token = token;
            o.Namespace = "shop";
            o.OperationTimeout = operationTimeout ?? TimeSpan.FromSeconds(10);
        });
        var app = builder.Build();
        app.MapChasiSreAdapter();
        await app.StartAsync(cancellationToken);
        return new SampleAdapterHost(app, adapter, http!, grpc!);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
