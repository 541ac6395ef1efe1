using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Ingest.Gateway.Tests;

/// <summary>
/// An adapter written without the SDK (as one in another language might be), whose answers a test
/// sets per path: the SDK would never send malformed or oversized output, a foreign adapter may.
/// </summary>
internal sealed class RawAdapterHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ListenOptions http;
    private readonly Dictionary<string, Func<string>> bodies = new(StringComparer.Ordinal);
    private readonly Lock sync = new();

    private RawAdapterHost(WebApplication app, ListenOptions http)
    {
        this.app = app;
        this.http = http;
    }

    public int Port => http.IPEndPoint!.Port;

    public int Calls { get; private set; }

    /// <summary>Answers <c>POST /chasi/v1/{operation}</c> with 200 and <paramref name="body"/> as application/json.</summary>
    public void Answer(string operation, Func<string> body)
    {
        lock (sync)
        {
            bodies[operation] = body;
        }
    }

    public static async Task<RawAdapterHost> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        ListenOptions? http = null;
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => (http = l).Protocols = HttpProtocols.Http1));
        var app = builder.Build();
        var host = new RawAdapterHost(app, http!);
        app.MapPost("/chasi/v1/{**operation}", (HttpContext context, string operation) =>
        {
            Func<string>? body;
            lock (host.sync)
            {
                host.Calls++;
                host.bodies.TryGetValue(operation, out body);
            }

            return body is null
                ? Results.Json(new { code = "UNIMPLEMENTED", message = "not served" }, statusCode: 501)
                : Results.Text(body(), "application/json");
        });
        await app.StartAsync(cancellationToken);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
