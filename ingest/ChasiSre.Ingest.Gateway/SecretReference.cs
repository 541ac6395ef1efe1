namespace ChasiSre.Ingest.Gateway;

/// <summary>A key of a Secret in the cluster the gateway watches (for a vCluster adapter: the Secret's host twin).</summary>
/// <param name="Namespace">Namespace of the Secret as the gateway reads it.</param>
/// <param name="Name">Name of the Secret as the gateway reads it.</param>
/// <param name="Key">The data key holding the token; null: <c>token</c>, else the Secret's only key.</param>
/// <param name="DisplayName">The name the adapter's owner wrote (namespace/name in their cluster), for messages.</param>
public sealed record SecretReference(string Namespace, string Name, string? Key, string DisplayName);
