namespace ChasiSre.Sdk;

/// <summary>
/// What a business system exposes to ChasiSre, the way an exporter exposes metrics. Implement
/// it once; the SDK serves it over gRPC and HTTP/JSON (pull mode) with authentication, size
/// limits and per-call timeouts, and maps it to the wire contracts.
/// </summary>
/// <remarks>
/// Every method receives a token that is cancelled when the caller goes away or the call's
/// timeout (<see cref="AdapterOptions.OperationTimeout"/>) passes. Exceptions are reported to the
/// caller as an internal error and logged; they never reach the business system's request path.
/// </remarks>
public interface IBusinessAdapter
{
    /// <summary>Health and a snapshot of key metrics (orders per minute, error rate, queue depth...).</summary>
    Task<StatusSnapshot> GetStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Log lines in <see cref="LogQuery.Window"/> that contain every keyword. The SDK filters the
    /// result again (window, keywords, limit, line length), so a simple implementation is correct.
    /// </summary>
    Task<IReadOnlyList<LogEntry>> QueryLogsAsync(LogQuery query, CancellationToken cancellationToken = default);

    /// <summary>Business events in <see cref="EventQuery.Window"/> of the requested types (all when empty).</summary>
    Task<IReadOnlyList<EventEntry>> GetEventsAsync(EventQuery query, CancellationToken cancellationToken = default);

    /// <summary>Current configuration. Values of secret-looking keys are redacted by the SDK before they leave the pod.</summary>
    Task<ConfigurationSnapshot> GetConfigurationAsync(CancellationToken cancellationToken = default);

    /// <summary>The runbooks the business team wrote for this system (Markdown bodies).</summary>
    Task<IReadOnlyList<RunbookInfo>> ListRunbooksAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Optional: runs a runbook. Called only by ChasiSre's action executor under policy, never by
    /// the gateway or an LLM. The default answers <see cref="RunbookResult.NotSupported"/>.
    /// </summary>
    Task<RunbookResult> ExecuteRunbookAsync(RunbookRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(RunbookResult.NotSupported());
}
