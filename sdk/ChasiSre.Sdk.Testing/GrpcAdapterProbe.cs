using System.Diagnostics;
using ChasiSre.Schemas.V1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace ChasiSre.Sdk.Testing;

/// <summary>gRPC probe: a deadline per call and the response size limit as the client's receive limit.</summary>
internal sealed class GrpcAdapterProbe : IAdapterProbe
{
    private readonly ConformanceOptions options;
    private readonly GrpcChannel channel;
    private readonly BusinessAdapter.BusinessAdapterClient client;

    public GrpcAdapterProbe(ConformanceOptions options)
    {
        this.options = options;
        channel = GrpcChannel.ForAddress(options.Url!, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = options.MaxResponseBytes,
            MaxSendMessageSize = null,
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        });
        client = new BusinessAdapter.BusinessAdapterClient(channel);
    }

    public async Task<ProbeResult> CallAsync<TResponse>(AdapterOperation operation, IMessage request, string? token, CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new()
    {
        var started = Stopwatch.GetTimestamp();
        var headers = new Metadata();
        if (token is not null)
        {
            headers.Add("authorization", "Bearer " + token);
        }

        var call = new CallOptions(headers, options.Time.GetUtcNow().UtcDateTime + options.CallTimeout, cancellationToken);
        try
        {
            IMessage response = operation switch
            {
                AdapterOperation.GetStatus => await client.GetStatusAsync((GetStatusRequest)request, call),
                AdapterOperation.QueryLogs => await client.QueryLogsAsync((QueryLogsRequest)request, call),
                AdapterOperation.GetEvents => await client.GetEventsAsync((GetEventsRequest)request, call),
                AdapterOperation.GetConfiguration => await client.GetConfigurationAsync((GetConfigurationRequest)request, call),
                AdapterOperation.ListRunbooks => await client.ListRunbooksAsync((ListRunbooksRequest)request, call),
                _ => await client.ExecuteRunbookAsync((ExecuteRunbookRequest)request, call),
            };
            return new ProbeResult(ProbeOutcome.Ok, response, "OK", null, response.CalculateSize(), Stopwatch.GetElapsedTime(started), null);
        }
        catch (RpcException ex)
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            return ex.StatusCode switch
            {
                StatusCode.DeadlineExceeded when elapsed >= options.CallTimeout =>
                    new ProbeResult(ProbeOutcome.Timeout, null, "DEADLINE_EXCEEDED", null, 0, elapsed, null),
                StatusCode.ResourceExhausted when ex.Status.Detail.Contains("exceeds the maximum", StringComparison.OrdinalIgnoreCase) =>
                    new ProbeResult(ProbeOutcome.TooLarge, null, "RESOURCE_EXHAUSTED", null, 0, elapsed, ex.Status.Detail),
                StatusCode.Internal when ex.Status.Detail.Contains("deserialize", StringComparison.OrdinalIgnoreCase) =>
                    new ProbeResult(ProbeOutcome.Malformed, null, "OK", null, 0, elapsed, ex.Status.Detail),
                StatusCode.Unavailable => new ProbeResult(ProbeOutcome.Unreachable, null, "UNAVAILABLE", null, 0, elapsed, ex.Status.Detail),
                _ => new ProbeResult(ProbeOutcome.Error, null, Names.Of(ex.StatusCode), null, 0, elapsed, null, string.IsNullOrEmpty(ex.Status.Detail) ? null : ex.Status.Detail),
            };
        }
    }

    public void Dispose() => channel.Dispose();

    private static class Names
    {
        public static string Of(StatusCode code) => code switch
        {
            StatusCode.InvalidArgument => "INVALID_ARGUMENT",
            StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
            StatusCode.NotFound => "NOT_FOUND",
            StatusCode.PermissionDenied => "PERMISSION_DENIED",
            StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
            StatusCode.Unimplemented => "UNIMPLEMENTED",
            StatusCode.Unauthenticated => "UNAUTHENTICATED",
            StatusCode.Cancelled => "CANCELLED",
            StatusCode.Unavailable => "UNAVAILABLE",
            _ => "INTERNAL",
        };
    }
}
