using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Sdk.Tests;

/// <summary>
/// A real Kestrel server serving an adapter through the SDK, as a business pod would: HTTP/JSON on
/// one port (HTTP/1.1) and gRPC on another (cleartext HTTP/2), both 127.0.0.1:0.
/// </summary>
internal sealed class AdapterHost : IAsyncDisposable
{
    public const string Token = "test-token-3f9a";

    private readonly WebApplication app;
    private readonly ListenOptions http;
    private readonly ListenOptions grpc;

    private AdapterHost(WebApplication app, ListenOptions http, ListenOptions grpc)
    {
        this.app = app;
        this.http = http;
        this.grpc = grpc;
    }

    /// <summary>HTTP/JSON base address.</summary>
    public Uri Address => new($"http://127.0.0.1:{http.IPEndPoint!.Port}/");

    /// <summary>gRPC base address (cleartext HTTP/2).</summary>
    public Uri GrpcAddress => new($"http://127.0.0.1:{grpc.IPEndPoint!.Port}/");

    public IServiceProvider Services => app.Services;

    public static async Task<AdapterHost> StartAsync(
        IBusinessAdapter adapter,
        Action<AdapterOptions>? configure = null,
        Func<HttpContext, Func<Task>, Task>? middleware = null,
        TimeProvider? time = null,
        CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        ListenOptions? http = null, grpc = null;
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, l => (http = l).Protocols = HttpProtocols.Http1);
            k.Listen(IPAddress.Loopback, 0, l => (grpc = l).Protocols = HttpProtocols.Http2);
        });
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddChasiSreAdapter(adapter, o =>
        {
            o.Name = "test";
            o.Token = Token;
            configure?.Invoke(o);
        });
        var app = builder.Build();
        if (middleware is not null)
        {
            app.Use(middleware);
        }

        app.MapChasiSreAdapter();
        await app.StartAsync(cancellationToken);
        return new AdapterHost(app, http!, grpc!);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }
}
