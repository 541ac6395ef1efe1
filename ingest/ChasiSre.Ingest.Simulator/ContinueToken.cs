using System.Text;
using System.Text.Json;

namespace ChasiSre.Ingest.Simulator;

/// <summary>The opaque <c>continue</c> token of a paged list: the list's resourceVersion and the last key served.</summary>
internal sealed record ContinueToken(long ResourceVersion, string Namespace, string Name)
{
    public static string Encode(ContinueToken token)
    {
        var json = SimulatorJson.ToUtf8Bytes(new System.Text.Json.Nodes.JsonObject
        {
            ["v"] = "meta.k8s.io/v1",
            ["rv"] = token.ResourceVersion,
            ["ns"] = token.Namespace,
            ["start"] = token.Name,
        });
        return Convert.ToBase64String(json).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static bool TryDecode(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ContinueToken? token)
    {
        token = null;
        try
        {
            var base64 = text.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            using var doc = JsonDocument.Parse(Convert.FromBase64String(base64));
            var root = doc.RootElement;
            if (root.GetProperty("v").GetString() != "meta.k8s.io/v1")
            {
                return false;
            }

            token = new ContinueToken(root.GetProperty("rv").GetInt64(), root.GetProperty("ns").GetString() ?? "", root.GetProperty("start").GetString() ?? "");
            return true;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }
}
