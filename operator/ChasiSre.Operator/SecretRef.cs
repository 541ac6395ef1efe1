using System.Text.Json.Nodes;

namespace ChasiSre.Operator;

/// <summary>A key of a Secret, referenced by a workload's environment (never copied into a ConfigMap).</summary>
public sealed record SecretRef(string Name, string Key)
{
    /// <summary>A <c>{name, key}</c> object; null when absent or without a name.</summary>
    public static SecretRef? Parse(JsonNode? node, string defaultKey) =>
        node?["name"]?.GetValue<string>() is { Length: > 0 } name
            ? new SecretRef(name, node["key"]?.GetValue<string>() is { Length: > 0 } key ? key : defaultKey)
            : null;
}
