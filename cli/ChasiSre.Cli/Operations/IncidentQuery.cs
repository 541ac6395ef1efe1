namespace ChasiSre.Cli.Operations;

/// <summary>The filters of <c>chasi incidents list</c>, validated; column values as stored (upper-case layer and state).</summary>
internal sealed record IncidentQuery(
    string? Tenant,
    string? Cluster,
    string? Layer,
    string? Category,
    string? State,
    DateTimeOffset? Since,
    int Limit);
