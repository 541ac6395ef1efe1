using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChasiSre.Executor;

/// <summary>
/// Keeps secret values out of diffs, records and logs: every value of a Secret's <c>data</c> and <c>stringData</c>,
/// every string whose key (a map key, or an env var's <c>name</c>) looks like a secret, and the
/// <c>last-applied-configuration</c> annotation (it repeats the whole object) are replaced by <see cref="Redacted"/>.
/// </summary>
public static partial class SecretRedaction
{
    public const string Redacted = "[redacted]";

    /// <summary>True for names such as <c>DB_PASSWORD</c>, <c>apiKey</c>, <c>tls.key</c>, <c>client-secret</c>, <c>token</c>.</summary>
    public static bool IsSecretName(string name) => SecretName().IsMatch(name ?? "");

    /// <summary>A redacted deep copy of a Kubernetes object.</summary>
    public static JsonObject Redact(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var copy = obj.DeepClone().AsObject();
        if ((string?)copy["kind"] == "Secret")
        {
            foreach (var field in new[] { "data", "stringData" })
            {
                if (copy[field] is JsonObject values)
                {
                    foreach (var key in values.Select(p => p.Key).ToList())
                    {
                        values[key] = Redacted;
                    }
                }
            }
        }

        if (copy["metadata"]?["annotations"] is JsonObject annotations && annotations.ContainsKey(LastApplied))
        {
            annotations[LastApplied] = Redacted;
        }

        Walk(copy);
        return copy;
    }

    private const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";

    private static void Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["name"] is JsonValue name && name.TryGetValue<string>(out var envName) && IsSecretName(envName) && o["value"] is JsonValue)
                {
                    o["value"] = Redacted; // an env var { name: DB_PASSWORD, value: ... }
                }

                foreach (var (key, value) in o.ToList())
                {
                    if (value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String && IsSecretName(key))
                    {
                        o[key] = Redacted;
                    }
                    else
                    {
                        Walk(value);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Walk(item);
                }

                break;
        }
    }

    [GeneratedRegex(@"(pass(word|wd)?|secret|token|api[-_.]?key|private[-_.]?key|credential|\.key$|^key$|auth)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();
}
