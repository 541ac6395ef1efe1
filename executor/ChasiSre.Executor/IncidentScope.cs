namespace ChasiSre.Executor;

/// <summary>The cluster and tenant of the incident an action is proposed for: no action may reach outside them.</summary>
public sealed record IncidentScope(string IncidentId, string Cluster, string Tenant);
