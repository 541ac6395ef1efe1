using System.Text.Json.Nodes;

namespace ChasiSre.Operator.Tests;

/// <summary>SreAgent specs used by the tests.</summary>
internal static class Agents
{
    public static JsonObject Centralized(params string[] components) => new()
    {
        ["mode"] = "centralized",
        ["cluster"] = new JsonObject { ["name"] = "prod-host" },
        ["components"] = new JsonArray([.. (components.Length == 0 ? ["ingest", "gateway", "streams", "sink", "diagnosis", "api"] : components).Select(c => (JsonNode?)c)]),
        ["endpoints"] = new JsonObject
        {
            ["kafka"] = new JsonObject
            {
                ["bootstrapServers"] = "chasi-kafka-kafka-bootstrap.kafka.svc:9093",
                ["securityProtocol"] = "SASL_SSL",
                ["sasl"] = new JsonObject { ["mechanism"] = "SCRAM-SHA-512", ["username"] = "chasi", ["passwordSecret"] = new JsonObject { ["name"] = "chasi-kafka-user" } },
                ["tls"] = new JsonObject { ["caSecret"] = new JsonObject { ["name"] = "chasi-kafka-cluster-ca-cert" } },
            },
            ["clickhouse"] = new JsonObject { ["host"] = "clickhouse.clickhouse.svc", ["passwordSecret"] = new JsonObject { ["name"] = "chasi-clickhouse" } },
            ["llm"] = new JsonObject { ["provider"] = "OpenAI", ["endpoint"] = "http://vllm.llm.svc:8000/v1/", ["model"] = "qwen2.5-7b-instruct", ["apiKeySecret"] = new JsonObject { ["name"] = "llm" } },
        },
        ["replicas"] = new JsonObject { ["sink"] = 3 },
        ["resources"] = new JsonObject { ["api"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "300m", ["memory"] = "600Mi" }, ["limits"] = new JsonObject { ["memory"] = "2Gi" } } },
    };

    public static JsonObject Distributed(string endpointTemplate, JsonObject? selector = null) => new()
    {
        ["mode"] = "distributed",
        ["cluster"] = new JsonObject { ["name"] = "prod-host" },
        ["components"] = new JsonArray("streams", "sink"),
        ["scope"] = new JsonObject { ["vclusterSelector"] = selector ?? new JsonObject() },
        ["distributed"] = new JsonObject { ["namespace"] = "chasi-agent", ["endpointTemplate"] = endpointTemplate },
        ["endpoints"] = new JsonObject { ["kafka"] = new JsonObject { ["bootstrapServers"] = "kafka.example.com:9094" } },
    };
}
