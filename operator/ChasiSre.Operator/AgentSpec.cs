using System.Text.Json.Nodes;

namespace ChasiSre.Operator;

/// <summary>
/// An SreAgent's spec with the Helm chart's defaults filled in (deploy/helm/chasi-sre/values.yaml), so the operator renders
/// the same workloads as <c>helm template</c> with the equivalent values.
/// </summary>
public sealed record AgentSpec
{
    public static IReadOnlyList<string> AllComponents { get; } = ["ingest", "gateway", "streams", "sink", "diagnosis", "api"];

    public string Mode { get; init; } = "centralized";

    public string ImageRepository { get; init; } = "ghcr.io/chasi-sre/chasi";

    public string ImageTag { get; init; } = "0.1.0";

    public string ImagePullPolicy { get; init; } = "IfNotPresent";

    public string ClusterName { get; init; } = "host";

    public string TenantNamespacePattern { get; init; } = "^ns-(?<tenant>[a-z0-9]([-a-z0-9]*[a-z0-9])?)$";

    public IReadOnlyList<string> Components { get; init; } = AllComponents;

    public JsonObject VClusterSelector { get; init; } = [];

    public IReadOnlyList<string> ScopeNamespaces { get; init; } = [];

    public IReadOnlyList<string> ScopeTenants { get; init; } = [];

    public string AgentNamespace { get; init; } = "chasi-agent";

    public string? EndpointTemplate { get; init; }

    public string KafkaBootstrapServers { get; init; } = "";

    public string KafkaClientId { get; init; } = "chasi";

    public string KafkaSecurityProtocol { get; init; } = "PLAINTEXT";

    public string SaslMechanism { get; init; } = "SCRAM-SHA-512";

    public string SaslUsername { get; init; } = "";

    public SecretRef? SaslPassword { get; init; }

    public SecretRef? KafkaCa { get; init; }

    public string ClickHouseHost { get; init; } = "clickhouse.clickhouse.svc";

    public int ClickHousePort { get; init; } = 8123;

    public bool ClickHouseSecure { get; init; }

    public string ClickHouseDatabase { get; init; } = "chasi";

    public string ClickHouseUsername { get; init; } = "chasi";

    public SecretRef? ClickHousePassword { get; init; }

    public string QdrantEndpoint { get; init; } = "";

    public string QdrantCollection { get; init; } = "chasi-knowledge";

    public SecretRef? QdrantApiKey { get; init; }

    public string LlmProvider { get; init; } = "Deterministic";

    public string LlmEndpoint { get; init; } = "";

    public string LlmModel { get; init; } = "";

    public string LlmModelPath { get; init; } = "";

    public SecretRef? LlmApiKey { get; init; }

    public IReadOnlyDictionary<string, int> Replicas { get; init; } = new Dictionary<string, int>(StringComparer.Ordinal) { ["streams"] = 1, ["sink"] = 2, ["diagnosis"] = 1, ["api"] = 2 };

    public IReadOnlyDictionary<string, JsonObject> Resources { get; init; } = DefaultResources();

    /// <summary>Reads a spec; <paramref name="defaultImage"/> (<c>repository:tag</c>) applies when the spec names no image.</summary>
    /// <exception cref="FormatException">The spec breaks a rule the schema cannot express; the message says which.</exception>
    public static AgentSpec Parse(JsonObject? spec, string defaultImage)
    {
        ArgumentException.ThrowIfNullOrEmpty(defaultImage);
        spec ??= [];
        var colon = defaultImage.LastIndexOf(':');
        var defaults = new AgentSpec
        {
            ImageRepository = colon > 0 ? defaultImage[..colon] : defaultImage,
            ImageTag = colon > 0 ? defaultImage[(colon + 1)..] : "latest",
        };
        var endpoints = spec["endpoints"];
        var kafka = endpoints?["kafka"];
        var clickhouse = endpoints?["clickhouse"];
        var llm = endpoints?["llm"];
        var qdrant = endpoints?["qdrant"];
        var replicas = new Dictionary<string, int>(defaults.Replicas, StringComparer.Ordinal);
        foreach (var (component, value) in spec["replicas"] as JsonObject ?? [])
        {
            replicas[component] = value!.GetValue<int>();
        }

        var resources = new Dictionary<string, JsonObject>(defaults.Resources, StringComparer.Ordinal);
        foreach (var (component, value) in spec["resources"] as JsonObject ?? [])
        {
            resources[component] = value!.DeepClone().AsObject();
        }

        var parsed = new AgentSpec
        {
            Mode = Text(spec["mode"]) ?? defaults.Mode,
            ImageRepository = Text(spec["image"]?["repository"]) ?? defaults.ImageRepository,
            ImageTag = Text(spec["image"]?["tag"]) ?? defaults.ImageTag,
            ImagePullPolicy = Text(spec["image"]?["pullPolicy"]) ?? defaults.ImagePullPolicy,
            ClusterName = Text(spec["cluster"]?["name"]) ?? defaults.ClusterName,
            TenantNamespacePattern = Text(spec["cluster"]?["tenantNamespacePattern"]) ?? defaults.TenantNamespacePattern,
            Components = spec["components"] is JsonArray list ? AllComponents.Where(c => list.Any(n => n?.GetValue<string>() == c)).ToList() : AllComponents,
            VClusterSelector = spec["scope"]?["vclusterSelector"]?.DeepClone().AsObject() ?? [],
            ScopeNamespaces = Strings(spec["scope"]?["namespaces"]),
            ScopeTenants = Strings(spec["scope"]?["tenants"]),
            AgentNamespace = Text(spec["distributed"]?["namespace"]) ?? defaults.AgentNamespace,
            EndpointTemplate = Text(spec["distributed"]?["endpointTemplate"]),
            KafkaBootstrapServers = Text(kafka?["bootstrapServers"]) ?? "",
            KafkaClientId = Text(kafka?["clientId"]) ?? defaults.KafkaClientId,
            KafkaSecurityProtocol = Text(kafka?["securityProtocol"]) ?? defaults.KafkaSecurityProtocol,
            SaslMechanism = Text(kafka?["sasl"]?["mechanism"]) ?? defaults.SaslMechanism,
            SaslUsername = Text(kafka?["sasl"]?["username"]) ?? "",
            SaslPassword = SecretRef.Parse(kafka?["sasl"]?["passwordSecret"], "password"),
            KafkaCa = SecretRef.Parse(kafka?["tls"]?["caSecret"], "ca.crt"),
            ClickHouseHost = Text(clickhouse?["host"]) ?? defaults.ClickHouseHost,
            ClickHousePort = clickhouse?["port"]?.GetValue<int>() ?? defaults.ClickHousePort,
            ClickHouseSecure = clickhouse?["secure"]?.GetValue<bool>() ?? false,
            ClickHouseDatabase = Text(clickhouse?["database"]) ?? defaults.ClickHouseDatabase,
            ClickHouseUsername = Text(clickhouse?["username"]) ?? defaults.ClickHouseUsername,
            ClickHousePassword = SecretRef.Parse(clickhouse?["passwordSecret"], "password"),
            QdrantEndpoint = Text(qdrant?["endpoint"]) ?? "",
            QdrantCollection = Text(qdrant?["collection"]) ?? defaults.QdrantCollection,
            QdrantApiKey = SecretRef.Parse(qdrant?["apiKeySecret"], "api-key"),
            LlmProvider = Text(llm?["provider"]) ?? defaults.LlmProvider,
            LlmEndpoint = Text(llm?["endpoint"]) ?? "",
            LlmModel = Text(llm?["model"]) ?? "",
            LlmModelPath = Text(llm?["modelPath"]) ?? "",
            LlmApiKey = SecretRef.Parse(llm?["apiKeySecret"], "api-key"),
            Replicas = replicas,
            Resources = resources,
        };
        parsed.Check();
        return parsed;
    }

    /// <summary>The rules of the chart's validate.tpl, which a schema cannot express.</summary>
    private void Check()
    {
        if (KafkaBootstrapServers.Length == 0)
        {
            throw new FormatException("spec.endpoints.kafka.bootstrapServers is required");
        }

        if (KafkaSecurityProtocol.StartsWith("SASL", StringComparison.Ordinal) && (SaslUsername.Length == 0 || SaslPassword is null))
        {
            throw new FormatException($"spec.endpoints.kafka.securityProtocol {KafkaSecurityProtocol} needs sasl.username and sasl.passwordSecret.name");
        }

        if (LlmProvider is "OpenAI" or "Ollama" && LlmEndpoint.Length == 0)
        {
            throw new FormatException($"spec.endpoints.llm.provider {LlmProvider} needs spec.endpoints.llm.endpoint");
        }

        if (Components.Contains("streams") && Replicas["streams"] > 12)
        {
            throw new FormatException($"spec.replicas.streams ({Replicas["streams"]}) must not exceed the 12 partitions: a replica without a partition idles");
        }
    }

    private static Dictionary<string, JsonObject> DefaultResources()
    {
        static JsonObject R(JsonObject requests, string memoryLimit) => new() { ["requests"] = requests, ["limits"] = new JsonObject { ["memory"] = memoryLimit } };
        return new Dictionary<string, JsonObject>(StringComparer.Ordinal)
        {
            ["ingest"] = R(new JsonObject { ["cpu"] = "250m", ["memory"] = "256Mi" }, "768Mi"),
            ["gateway"] = R(new JsonObject { ["cpu"] = "100m", ["memory"] = "128Mi" }, "512Mi"),
            ["streams"] = R(new JsonObject { ["cpu"] = "1", ["memory"] = "1Gi" }, "2Gi"),
            ["sink"] = R(new JsonObject { ["cpu"] = "250m", ["memory"] = "256Mi" }, "1Gi"),
            ["diagnosis"] = R(new JsonObject { ["cpu"] = "500m", ["memory"] = "1Gi" }, "3Gi"),
            ["api"] = R(new JsonObject { ["cpu"] = "250m", ["memory"] = "512Mi" }, "1536Mi"),
        };
    }

    private static string? Text(JsonNode? node) => node?.GetValue<string>() is { Length: > 0 } s ? s : null;

    private static List<string> Strings(JsonNode? node) => node is JsonArray array ? array.Select(n => n?.GetValue<string>()).OfType<string>().ToList() : [];
}
