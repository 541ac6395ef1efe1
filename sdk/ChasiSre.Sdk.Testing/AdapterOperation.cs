namespace ChasiSre.Sdk.Testing;

/// <summary>The operations of <c>chasi.v1.BusinessAdapter</c> and their HTTP paths.</summary>
internal enum AdapterOperation
{
    GetStatus,
    QueryLogs,
    GetEvents,
    GetConfiguration,
    ListRunbooks,
    ExecuteRunbook,
}
