using System.Text.Json.Nodes;

namespace ChasiSre.Executor;

/// <summary>An object the executor reads or writes: <c>apiVersion</c>, kind, namespace (empty when cluster-scoped), name.</summary>
internal sealed record KubeObjectRef(string ApiVersion, string Kind, string Namespace, string Name)
{
    public override string ToString() => $"{Kind} {(Namespace.Length > 0 ? Namespace + "/" : "")}{Name}";
}

/// <summary>One change the executor makes; the same request runs first with <c>dryRun=All</c>.</summary>
internal abstract record KubeWrite(KubeObjectRef Target);

/// <summary>A JSON merge patch (RFC 7386) of the object, or of its <c>scale</c> subresource.</summary>
internal sealed record KubeMergePatch(KubeObjectRef Target, bool Scale, JsonObject Body) : KubeWrite(Target);

/// <summary>A new object in <see cref="KubeObjectRef.Namespace"/>.</summary>
internal sealed record KubeCreate(KubeObjectRef Target, JsonObject Body) : KubeWrite(Target);

/// <summary>A delete with uid and resourceVersion preconditions (dependents deleted in the background).</summary>
internal sealed record KubeDelete(KubeObjectRef Target, string Uid, string ResourceVersion) : KubeWrite(Target);
