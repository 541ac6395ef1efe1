namespace ChasiSre.Executor;

/// <summary>One RBAC rule the executor needs: verbs on a resource (or <c>resource/subresource</c>) of an API group.</summary>
public sealed record RbacRule(string Group, string Resource, IReadOnlyList<string> Verbs);
