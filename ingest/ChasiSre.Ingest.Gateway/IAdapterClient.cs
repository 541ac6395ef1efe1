using ChasiSre.Schemas.V1;

namespace ChasiSre.Ingest.Gateway;

/// <summary>
/// Calls the read operations of one adapter with a deadline and a response size limit. There is no
/// ExecuteRunbook here, by design (see <see cref="AdapterOperation"/>).
/// </summary>
public interface IAdapterClient : IDisposable
{
    Task<CallResult<GetStatusResponse>> GetStatusAsync(string? token, CancellationToken cancellationToken = default);

    Task<CallResult<GetEventsResponse>> GetEventsAsync(GetEventsRequest request, string? token, CancellationToken cancellationToken = default);

    Task<CallResult<QueryLogsResponse>> QueryLogsAsync(QueryLogsRequest request, string? token, CancellationToken cancellationToken = default);

    Task<CallResult<ListRunbooksResponse>> ListRunbooksAsync(string? token, CancellationToken cancellationToken = default);
}
