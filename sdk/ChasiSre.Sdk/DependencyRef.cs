namespace ChasiSre.Sdk;

/// <summary>A Kubernetes object a business system runs on, in the adapter's own cluster.</summary>
public sealed record DependencyRef(string ApiVersion, string Kind, string Namespace, string Name);
