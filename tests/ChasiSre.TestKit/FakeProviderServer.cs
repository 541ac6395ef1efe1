using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ChasiSre.TestKit;

/// <summary>
/// A real Kestrel server on 127.0.0.1, port 0, standing in for a provider. Each request to
/// <paramref name="path"/> is answered by the next scripted handler (the last one repeats); every
/// request body is captured as sent on the wire.
/// </summary>
public sealed class FakeProviderServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, string, Task>> _script = new();
    private Func<HttpContext, string, Task>? _last;
    private int _inFlight;

    private FakeProviderServer(WebApplication app)
    {
        _app = app;
    }

    public Uri BaseUri { get; private set; } = null!;

    public ConcurrentQueue<string> RequestBodies { get; } = new();

    public int RequestCount => RequestBodies.Count;

    public int MaxInFlight { get; private set; }

    public JsonNode LastRequest => JsonNode.Parse(RequestBodies.Last())!;

    public static async Task<FakeProviderServer> StartAsync(string path, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeProviderServer(app);
        app.MapPost(path, server.HandleAsync);
        await app.StartAsync(cancellationToken);
        server.BaseUri = new Uri(app.Urls.First());
        return server;
    }

    public FakeProviderServer Then(Func<HttpContext, string, Task> handler)
    {
        _script.Enqueue(handler);
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        string body = await reader.ReadToEndAsync(context.RequestAborted);
        RequestBodies.Enqueue(body);
        int inFlight = Interlocked.Increment(ref _inFlight);
        lock (_script)
        {
            MaxInFlight = Math.Max(MaxInFlight, inFlight);
        }

        try
        {
            Func<HttpContext, string, Task> handler;
            lock (_script)
            {
                handler = _script.TryDequeue(out var next) ? _last = next : _last ?? throw new InvalidOperationException("No scripted response.");
            }

            await handler(context, body);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
