using ChasiSre.Schemas.V1;
using Grpc.Core;

namespace ChasiSre.Sdk;

/// <summary>The gRPC transport of pull mode: <c>chasi.v1.BusinessAdapter</c> over <see cref="AdapterDispatcher"/>.</summary>
internal sealed class BusinessAdapterGrpcService(AdapterDispatcher dispatcher) : BusinessAdapter.BusinessAdapterBase
{
    private const string Transport = "grpc";

    public override Task<GetStatusResponse> GetStatus(GetStatusRequest request, ServerCallContext context) =>
        Translate(() => dispatcher.GetStatusAsync(Transport, Authorization(context), context.CancellationToken));

    public override Task<QueryLogsResponse> QueryLogs(QueryLogsRequest request, ServerCallContext context) =>
        Translate(() => dispatcher.QueryLogsAsync(request, Transport, Authorization(context), context.CancellationToken));

    public override Task<GetEventsResponse> GetEvents(GetEventsRequest request, ServerCallContext context) =>
        Translate(() => dispatcher.GetEventsAsync(request, Transport, Authorization(context), context.CancellationToken));

    public override Task<GetConfigurationResponse> GetConfiguration(GetConfigurationRequest request, ServerCallContext context) =>
        Translate(() => dispatcher.GetConfigurationAsync(Transport, Authorization(context), context.CancellationToken));

    public override Task<ListRunbooksResponse> ListRunbooks(ListRunbooksRequest request, ServerCallContext context) =>
        Translate(() => dispatcher.ListRunbooksAsync(Transport, Authorization(context), context.CancellationToken));

    public override Task<ExecuteRunbookResponse> ExecuteRunbook(ExecuteRunbookRequest request, ServerCallContext context) =>
        Translate(() => dispatcher.ExecuteRunbookAsync(request, Transport, Authorization(context), context.CancellationToken));

    private static string? Authorization(ServerCallContext context) => context.RequestHeaders.GetValue("authorization");

    private static async Task<T> Translate<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (AdapterCallException ex)
        {
            throw new RpcException(new Status(ex.Code, ex.Message));
        }
    }
}
