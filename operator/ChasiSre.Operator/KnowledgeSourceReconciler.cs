using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChasiSre.Operator;

/// <summary>
/// KnowledgeSource: reads the documents (each key of a ConfigMap in the resource's namespace, or every <c>.md</c> and
/// <c>.txt</c> file below a directory of the operator's file system), and hands the whole listing to the knowledge base
/// through <see cref="IKnowledgeHandOff"/> when it differs from what was last handed over (the SHA-256 in
/// <c>status.contentHash</c>) or the spec changed. A missing ConfigMap or directory is <c>Ready=False</c>, not an error.
/// </summary>
public sealed partial class KnowledgeSourceReconciler(KubeObjectClient kube, IKnowledgeHandOff handOff, OperatorOptions options, TimeProvider timeProvider)
{
    public const int MaxDocumentBytes = 1024 * 1024;
    public const int MaxDocuments = 1000;

    public async Task<ReconcileOutcome> ReconcileAsync(JsonObject resource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var ns = resource["metadata"]!["namespace"]!.GetValue<string>();
        var name = resource["metadata"]!["name"]!.GetValue<string>();
        var spec = resource["spec"] as JsonObject ?? [];
        var tenant = spec["tenant"]?.GetValue<string>() ?? "";
        var configMap = spec["configMap"]?["name"]?.GetValue<string>();
        var volumePath = spec["volumePath"]?.GetValue<string>();
        if (tenant.Length == 0)
        {
            return ReconcileOutcome.Invalid("TenantMissing", "spec.tenant is required: knowledge documents are private to a tenant");
        }

        if ((configMap is null) == (volumePath is null))
        {
            return ReconcileOutcome.Invalid("SourceAmbiguous", "set exactly one of spec.configMap and spec.volumePath");
        }

        var read = configMap is not null
            ? await FromConfigMapAsync(ns, configMap, Strings(spec["configMap"]?["keys"]), cancellationToken).ConfigureAwait(false)
            : FromDirectory(volumePath!);
        if (read.Problem is { } problem)
        {
            return new ReconcileOutcome(true, "Accepted", "the spec is valid", false, problem.Reason, problem.Message) { Status = Carried(resource) };
        }

        var documents = read.Documents.OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
        var hash = Hash(tenant, Strings(spec["tags"]), documents);
        var status = resource["status"];
        var generation = resource["metadata"]!["generation"]?.GetValue<long>() ?? 0;
        var from = configMap is not null ? $"ConfigMap {ns}/{configMap}" : volumePath;
        if (status?["contentHash"]?.GetValue<string>() == hash && status["observedGeneration"]?.GetValue<long>() == generation)
        {
            return new ReconcileOutcome(true, "Accepted", "the spec is valid", true, "UpToDate", $"{documents.Count} documents from {from} already handed over") { Status = Carried(resource) };
        }

        var now = timeProvider.GetUtcNow();
        await handOff.PublishAsync(new KnowledgeBatch(options.ClusterName, ns, name, tenant, documents, Strings(spec["tags"]), now), cancellationToken).ConfigureAwait(false);
        return new ReconcileOutcome(true, "Accepted", "the spec is valid", true, "Published", $"{documents.Count} documents from {from} published for tenant {tenant} on chasi.business.v1")
        {
            Status = new JsonObject
            {
                ["documents"] = documents.Count,
                ["contentHash"] = hash,
                ["lastPublished"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            },
        };
    }

    private async Task<(List<KnowledgeSourceDocument> Documents, (string Reason, string Message)? Problem)> FromConfigMapAsync(string ns, string name, List<string> keys, CancellationToken cancellationToken)
    {
        if (await kube.GetAsync("v1", "ConfigMap", ns, name, cancellationToken).ConfigureAwait(false) is not { } configMap)
        {
            return ([], ("ConfigMapNotFound", $"ConfigMap {ns}/{name} not found"));
        }

        var entries = new List<(string Key, string Text)>();
        foreach (var (key, value) in configMap["data"] as JsonObject ?? [])
        {
            entries.Add((key, value?.GetValue<string>() ?? ""));
        }

        foreach (var (key, value) in configMap["binaryData"] as JsonObject ?? [])
        {
            entries.Add((key, Encoding.UTF8.GetString(Convert.FromBase64String(value?.GetValue<string>() ?? ""))));
        }

        if (keys.Count > 0)
        {
            var missing = keys.Where(k => entries.All(e => e.Key != k)).ToList();
            if (missing.Count > 0)
            {
                return ([], ("KeyNotFound", $"ConfigMap {ns}/{name} has no key {string.Join(", ", missing)}"));
            }

            entries = entries.Where(e => keys.Contains(e.Key)).ToList();
        }

        return (entries.Where(e => !string.IsNullOrWhiteSpace(e.Text)).Select(e => Document(e.Key, e.Text)).ToList(), null);
    }

    private static (List<KnowledgeSourceDocument> Documents, (string Reason, string Message)? Problem) FromDirectory(string path)
    {
        if (!Directory.Exists(path))
        {
            return ([], ("PathNotFound", $"directory {path} does not exist in the operator's file system (mount it into the operator pod)"));
        }

        var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count > MaxDocuments)
        {
            return ([], ("TooManyDocuments", $"{files.Count} files below {path}; at most {MaxDocuments}"));
        }

        var documents = new List<KnowledgeSourceDocument>();
        foreach (var file in files)
        {
            var length = new FileInfo(file).Length;
            if (length > MaxDocumentBytes)
            {
                return ([], ("DocumentTooLarge", $"{file} is {length} bytes; at most {MaxDocumentBytes}"));
            }

            var id = InvalidIdCharacters().Replace(Path.GetRelativePath(path, file).Replace(Path.DirectorySeparatorChar, ':'), "_");
            documents.Add(Document(id, File.ReadAllText(file)));
        }

        return (documents, null);
    }

    private static KnowledgeSourceDocument Document(string id, string text)
    {
        var heading = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal));
        return new KnowledgeSourceDocument(id, heading is null ? id : heading[2..].Trim(), text);
    }

    private static string Hash(string tenant, List<string> tags, List<KnowledgeSourceDocument> documents)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in new[] { tenant, string.Join(',', tags) }.Concat(documents.SelectMany(d => new[] { d.Id, d.Title, d.Body })))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(part));
            hash.AppendData([0]);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Keeps what was handed over last in the status while nothing new is published.</summary>
    private static JsonObject Carried(JsonObject resource)
    {
        var carried = new JsonObject();
        foreach (var field in new[] { "documents", "contentHash", "lastPublished" })
        {
            if (resource["status"]?[field] is { } value)
            {
                carried[field] = value.DeepClone();
            }
        }

        return carried;
    }

    private static List<string> Strings(JsonNode? node) => node is JsonArray array ? array.Select(n => n?.GetValue<string>()).OfType<string>().ToList() : [];

    [GeneratedRegex("[^A-Za-z0-9._:-]")]
    private static partial Regex InvalidIdCharacters();
}
