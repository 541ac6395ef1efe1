namespace ChasiSre.Ingest.Gateway;

/// <summary>
/// The operations the gateway calls. <c>ExecuteRunbook</c> is deliberately absent: only the action
/// executor runs runbooks, under policy; the gateway has no code path that could call it.
/// </summary>
public enum AdapterOperation
{
    GetStatus,
    GetEvents,
    QueryLogs,
    ListRunbooks,
}
