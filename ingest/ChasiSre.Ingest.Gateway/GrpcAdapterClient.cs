using System.Diagnostics;
using ChasiSre.Schemas.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace ChasiSre.Ingest.Gateway;

/// <summary>
/// gRPC client of one adapter (cleartext HTTP/2 over a shared handler): a deadline per call and the
/// response size limit as the channel's receive limit.
/// </summary>
internal sealed class GrpcAdapterClient : IAdapterClient
{
    private readonly GrpcChannel channel;
    private readonly BusinessAdapter.BusinessAdapterClient client;
    private readonly TimeSpan timeout;
    private readonly TimeProvider timeProvider;

    public GrpcAdapterClient(HttpMessageHandler handler, Uri address, TimeSpan timeout, int maxResponseBytes, TimeProvider timeProvider)
    {
        channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = false,
            MaxReceiveMessageSize = maxResponseBytes,
            MaxSendMessageSize = 64 * 1024,
        });
        client = new BusinessAdapter.BusinessAdapterClient(channel);
        this.timeout = timeout;
        this.timeProvider = timeProvider;
    }

    public Task<CallResult<GetStatusResponse>> GetStatusAsync(string? token, CancellationToken cancellationToken = default) =>
        CallAsync(options => client.GetStatusAsync(new GetStatusRequest(), options), token, cancellationToken);

    public Task<CallResult<GetEventsResponse>> GetEventsAsync(GetEventsRequest request, string? token, CancellationToken cancellationToken = default) =>
        CallAsync(options => client.GetEventsAsync(request, options), token, cancellationToken);

    public Task<CallResult<QueryLogsResponse>> QueryLogsAsync(QueryLogsRequest request, string? token, CancellationToken cancellationToken = default) =>
        CallAsync(options => client.QueryLogsAsync(request, options), token, cancellationToken);

    public Task<CallResult<ListRunbooksResponse>> ListRunbooksAsync(string? token, CancellationToken cancellationToken = default) =>
        CallAsync(options => client.ListRunbooksAsync(new ListRunbooksRequest(), options), token, cancellationToken);

    public void Dispose() => channel.Dispose();

    private async Task<CallResult<T>> CallAsync<T>(Func<CallOptions, AsyncUnaryCall<T>> call, string? token, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        var started = Stopwatch.GetTimestamp();
        var headers = new Metadata();
        if (token is not null)
        {
            headers.Add("authorization", "Bearer " + token);
        }

        try
        {
            var response = await call(new CallOptions(headers, timeProvider.GetUtcNow().UtcDateTime + timeout, cancellationToken));
            return new CallResult<T>(CallOutcome.Ok, response, "OK", null, default, response.CalculateSize(), Stopwatch.GetElapsedTime(started));
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
        {
            var detail = string.IsNullOrEmpty(e.Status.Detail) ? null : e.Status.Detail;
            var outcome = e.StatusCode switch
            {
                StatusCode.Unauthenticated => CallOutcome.Unauthenticated,
                StatusCode.Unimplemented => CallOutcome.Unimplemented,
                StatusCode.DeadlineExceeded => CallOutcome.Timeout,
                StatusCode.Unavailable => CallOutcome.Unavailable,
                StatusCode.ResourceExhausted when detail?.Contains("exceeds the maximum", StringComparison.OrdinalIgnoreCase) == true => CallOutcome.TooLarge,
                StatusCode.Internal when detail?.Contains("deserialize", StringComparison.OrdinalIgnoreCase) == true => CallOutcome.Malformed,
                _ => CallOutcome.Error,
            };
            return new CallResult<T>(outcome, null, GrpcCodes.Of(e.StatusCode), detail, default, 0, Stopwatch.GetElapsedTime(started));
        }
    }
}
