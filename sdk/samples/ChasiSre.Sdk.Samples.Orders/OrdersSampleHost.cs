using ChasiSre.Sdk;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Sdk.Samples.Orders;

/// <summary>
/// Serves <see cref="OrdersAdapter"/> the way a business pod would: HTTP/JSON on one port
/// (HTTP/1.1) and gRPC on another (cleartext HTTP/2: Kestrel serves a cleartext port that allows
/// both as HTTP/1.1 only), bearer-token auth, the SDK's limits and timeouts.
/// </summary>
public sealed class OrdersSampleHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ListenOptions http;
    private readonly ListenOptions grpc;

    private OrdersSampleHost(WebApplication app, OrdersAdapter adapter, ListenOptions http, ListenOptions grpc)
    {
        this.app = app;
        this.http = http;
        this.grpc = grpc;
        Adapter = adapter;
    }

    /// <summary>The adapter being served (switch <see cref="OrdersAdapter.Degraded"/> at run time).</summary>
    public OrdersAdapter Adapter { get; }

    /// <summary>HTTP/JSON base address, e.g. <c>http://127.0.0.1:8080/</c>; valid after <see cref="StartAsync"/>.</summary>
    public Uri Address => Url(http);

    /// <summary>gRPC base address (cleartext HTTP/2); valid after <see cref="StartAsync"/>.</summary>
    public Uri GrpcAddress => Url(grpc);

    /// <summary>Builds the host; <paramref name="configureLogging"/> replaces the default console logging.</summary>
    public static OrdersSampleHost Create(OrdersSampleOptions options, Action<ILoggingBuilder>? configureLogging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Token);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        configureLogging?.Invoke(builder.Logging);
        ListenOptions? http = null, grpc = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(options.Address, options.Port, listen => (http = listen).Protocols = HttpProtocols.Http1);
            kestrel.Listen(options.Address, options.GrpcPort, listen => (grpc = listen).Protocols = HttpProtocols.Http2);
        });
        var adapter = new OrdersAdapter(options.Time) { Degraded = options.Degraded };
        builder.Services.AddSingleton(options.Time);
        builder.Services.AddChasiSreAdapter(adapter, o =>
        {
            o.Name = "orders";
            o.Token = options.Token;
            o.Namespace = "shop";
            o.SystemName = "orders";
        });
        var app = builder.Build();
        app.MapChasiSreAdapter();
        return new OrdersSampleHost(app, adapter, http!, grpc!);
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => app.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => app.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private static Uri Url(ListenOptions listen) =>
        new UriBuilder("http", listen.IPEndPoint!.Address.ToString(), listen.IPEndPoint.Port).Uri;
}
