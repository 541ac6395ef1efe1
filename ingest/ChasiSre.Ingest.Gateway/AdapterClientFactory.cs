using System.Net;

namespace ChasiSre.Ingest.Gateway;

/// <summary>
/// Makes adapter clients over two shared connection pools (HTTP/1.1 for JSON, HTTP/2 for gRPC), so
/// 500 adapters cost 500 idle keep-alive connections, not 500 handlers.
/// </summary>
public sealed class AdapterClientFactory : IDisposable
{
    private readonly GatewayOptions options;
    private readonly TimeProvider timeProvider;
    private readonly SocketsHttpHandler httpHandler;
    private readonly HttpClient http;
    private readonly SocketsHttpHandler grpcHandler;

    /// <summary>Creates the pools.</summary>
    public AdapterClientFactory(GatewayOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        this.timeProvider = timeProvider;
        httpHandler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = options.CallTimeout,
            PooledConnectionIdleTimeout = options.DefaultInterval + options.DefaultInterval,
            MaxConnectionsPerServer = 4,
        };
        http = new HttpClient(httpHandler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        grpcHandler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = options.CallTimeout,
            PooledConnectionIdleTimeout = options.DefaultInterval + options.DefaultInterval,
            EnableMultipleHttp2Connections = true,
        };
    }

    /// <summary>A client of <paramref name="endpoint"/>; dispose it when the adapter goes away.</summary>
    public IAdapterClient Create(AdapterEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.Transport == AdapterTransport.Grpc
            ? new GrpcAdapterClient(grpcHandler, endpoint.Address, options.CallTimeout, options.MaxResponseBytes, timeProvider)
            : new HttpAdapterClient(http, endpoint.Address, options.CallTimeout, options.MaxResponseBytes, timeProvider);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        http.Dispose();
        httpHandler.Dispose();
        grpcHandler.Dispose();
    }
}
