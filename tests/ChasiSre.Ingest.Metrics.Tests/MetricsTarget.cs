using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Ingest.Metrics.Tests;

/// <summary>
/// A real HTTP target on 127.0.0.1 (Kestrel, port 0) serving whatever <see cref="Handler"/>
/// writes for any path; counts requests and the most scrapes it saw at once.
/// </summary>
internal sealed class MetricsTarget : IAsyncDisposable
{
    private readonly WebApplication app;
    private int inFlight;
    private int maxInFlight;
    private int requests;

    private MetricsTarget(WebApplication app) => this.app = app;

    public Func<HttpContext, Task> Handler { get; set; } = context => context.Response.WriteAsync("", context.RequestAborted);

    public int Port { get; private set; }

    public int Requests => Volatile.Read(ref requests);

    public int MaxInFlight => Volatile.Read(ref maxInFlight);

    public string? LastAccept { get; private set; }

    public string? LastPath { get; private set; }

    public static async Task<MetricsTarget> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var target = new MetricsTarget(app);
        app.Run(target.ServeAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        target.Port = new Uri(address).Port;
        return target;
    }

    /// <summary>Serves a fixed Prometheus 0.0.4 body.</summary>
    public void Serve(string body, string contentType = "text/plain; version=0.0.4; charset=utf-8") =>
        Handler = async context =>
        {
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body, context.RequestAborted);
        };

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private async Task ServeAsync(HttpContext context)
    {
        Interlocked.Increment(ref requests);
        LastAccept = context.Request.Headers.Accept.ToString();
        LastPath = context.Request.Path;
        var now = Interlocked.Increment(ref inFlight);
        int seen;
        while ((seen = Volatile.Read(ref maxInFlight)) < now && Interlocked.CompareExchange(ref maxInFlight, now, seen) != seen)
        {
        }

        try
        {
            await Handler(context);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }
}
