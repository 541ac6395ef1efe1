using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Streams.K8sGpt.Tests;

/// <summary>A real gRPC server (Kestrel, h2c on 127.0.0.1) hosting a <see cref="CannedAnalyzer"/>.</summary>
internal sealed class AnalyzerServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private AnalyzerServer(WebApplication app, CannedAnalyzer analyzer, Uri address)
    {
        this.app = app;
        Analyzer = analyzer;
        Address = address;
    }

    public CannedAnalyzer Analyzer { get; }

    public Uri Address { get; }

    /// <summary>Starts on <paramref name="port"/> (0: any free port).</summary>
    public static async Task<AnalyzerServer> StartAsync(int port = 0, CannedAnalyzer? analyzer = null, CancellationToken cancellationToken = default)
    {
        analyzer ??= new CannedAnalyzer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(analyzer);
        var app = builder.Build();
        app.MapGrpcService<CannedAnalyzer>();
        await app.StartAsync(cancellationToken);
        var bound = app.Urls.Single();
        return new AnalyzerServer(app, analyzer, new Uri(bound));
    }

    /// <summary>A loopback port nothing listens on (free when this returns).</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }
}
