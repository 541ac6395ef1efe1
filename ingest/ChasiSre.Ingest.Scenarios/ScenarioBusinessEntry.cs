namespace ChasiSre.Ingest.Scenarios;

/// <summary>What a business adapter reports for a tenant (FORMAT.md <c>business</c> entries).</summary>
public sealed record ScenarioBusinessEntry(
    string Adapter,
    string Tenant,
    BusinessStatus? Status,
    IReadOnlyList<BusinessEvent> Events,
    IReadOnlyList<BusinessLog> Logs);
