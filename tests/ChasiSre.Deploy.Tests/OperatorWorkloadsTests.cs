using System.Text.Json.Nodes;
using ChasiSre.Operator;

namespace ChasiSre.Deploy.Tests;

/// <summary>
/// The operator renders an SreAgent's workloads as the chart does: for the same settings, <see cref="AgentWorkloads"/>
/// and <c>helm template</c> (with <c>fullnameOverride</c> set to the agent's name) agree on every workload's kind,
/// replicas, image, args, environment, ports, probes, resources, security contexts and service account, on the
/// appsettings.json the workloads read, and on the ServiceAccounts and ClusterRoles.
/// </summary>
public sealed class OperatorWorkloadsTests
{
    private const string CentralizedValues = """
        fullnameOverride: prod
        image:
          repository: registry.example.com/chasi
          tag: "1.2.3"
        cluster:
          name: prod-host
        kafka:
          bootstrapServers: chasi-kafka-kafka-bootstrap.kafka.svc:9093
          securityProtocol: SASL_SSL
          sasl:
            mechanism: SCRAM-SHA-512
            username: chasi
            passwordSecret: {name: chasi-kafka-user, key: password}
          tls:
            caSecret: {name: chasi-kafka-cluster-ca-cert, key: ca.crt}
        clickhouse:
          host: clickhouse.clickhouse.svc
          passwordSecret: {name: chasi-clickhouse, key: password}
        llm:
          provider: OpenAI
          endpoint: http://vllm.llm.svc:8000/v1/
          model: qwen2.5-7b-instruct
          apiKeySecret: {name: llm, key: api-key}
        qdrant:
          endpoint: http://qdrant.qdrant.svc:6334
          apiKeySecret: {name: qdrant, key: api-key}
        sink:
          replicas: 3
        diagnosis:
          persistence:
            enabled: false
        api:
          resources:
            requests: {cpu: 300m, memory: 600Mi}
            limits: {memory: 2Gi}
        """;

    private static readonly JsonObject CentralizedAgent = new()
    {
        ["mode"] = "centralized",
        ["image"] = new JsonObject { ["repository"] = "registry.example.com/chasi", ["tag"] = "1.2.3" },
        ["cluster"] = new JsonObject { ["name"] = "prod-host" },
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
            ["qdrant"] = new JsonObject { ["endpoint"] = "http://qdrant.qdrant.svc:6334", ["apiKeySecret"] = new JsonObject { ["name"] = "qdrant" } },
        },
        ["replicas"] = new JsonObject { ["sink"] = 3 },
        ["resources"] = new JsonObject { ["api"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "300m", ["memory"] = "600Mi" }, ["limits"] = new JsonObject { ["memory"] = "2Gi" } } },
    };

    [Fact]
    public async Task Render_CentralizedAgent_MatchesHelmTemplateOfEquivalentValues()
    {
        var ct = TestContext.Current.CancellationToken;
        var helm = await RenderAsync(CentralizedValues, "chasi-system", ct);
        var spec = AgentSpec.Parse(CentralizedAgent, "ghcr.io/chasi-sre/chasi:0.1.0");

        var ours = AgentWorkloads.Render("prod", "chasi-system", spec, AgentPlacement.Host);

        AssertSame(helm, ours, 6);
    }

    [Fact]
    public async Task Render_AgentInsideVCluster_MatchesHelmTemplateOfDistributedValues()
    {
        var ct = TestContext.Current.CancellationToken;
        const string Values = """
            fullnameOverride: agents
            mode: distributed
            cluster:
              name: team-a
            distributed:
              hostCluster: prod-host
              hostNamespace: ns-team-a
            kafka:
              bootstrapServers: kafka.example.com:9094
            """;
        var helm = await RenderAsync(Values, "chasi-agent", ct);
        var spec = AgentSpec.Parse(new JsonObject
        {
            ["mode"] = "distributed",
            ["cluster"] = new JsonObject { ["name"] = "prod-host" },
            ["endpoints"] = new JsonObject { ["kafka"] = new JsonObject { ["bootstrapServers"] = "kafka.example.com:9094" } },
        }, "ghcr.io/chasi-sre/chasi:0.1.0");

        var ours = AgentWorkloads.Render("agents", "chasi-agent", spec, new AgentPlacement("team-a", "ns-team-a", "team-a"));

        AssertSame(helm, ours, 1);
    }

    [Fact]
    public async Task Render_DifferentLlmEndpoint_IsNoticedByTheComparison()
    {
        // The comparison can fail: an agent whose settings differ from the values renders a different appsettings.json.
        var ct = TestContext.Current.CancellationToken;
        var helm = await RenderAsync(CentralizedValues, "chasi-system", ct);
        var changed = CentralizedAgent.DeepClone().AsObject();
        changed["endpoints"]!["llm"]!["endpoint"] = "http://other.llm.svc:8000/v1/";
        var ours = AgentWorkloads.Render("prod", "chasi-system", AgentSpec.Parse(changed, "ghcr.io/chasi-sre/chasi:0.1.0"), AgentPlacement.Host);

        Assert.NotEqual(Canonical(Settings(helm)), Canonical(Settings(ours)));
    }

    private static async Task<List<JsonObject>> RenderAsync(string values, string @namespace, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("chasi-values-").FullName, "values.yaml");
        await File.WriteAllTextAsync(file, values, cancellationToken);
        try
        {
            var result = await ProcessRunner.RunAsync(await HelmBinary.HelmAsync(cancellationToken), ["template", "prod", RepositoryLayout.Chart, "--namespace", @namespace, "-f", file], cancellationToken);
            Assert.True(result.ExitCode == 0, result.StdErr);
            return Manifests.Parse(result.StdOut);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    private static void AssertSame(List<JsonObject> helm, IReadOnlyList<JsonObject> ours, int workloads)
    {
        var helmWorkloads = helm.Where(m => m.Kind() is "Deployment" or "StatefulSet").ToDictionary(m => m.Name());
        var ourWorkloads = ours.Where(m => m.Kind() is "Deployment" or "StatefulSet").ToDictionary(m => m.Name());
        Assert.Equal(workloads, helmWorkloads.Count);
        Assert.Equal(helmWorkloads.Keys.Order(StringComparer.Ordinal), ourWorkloads.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, expected) in helmWorkloads)
        {
            var actual = ourWorkloads[name];
            Assert.Equal(expected.Kind(), actual.Kind());
            Assert.Equal(Canonical(expected["spec"]!["replicas"]), Canonical(actual["spec"]!["replicas"]));
            var expectedPod = expected["spec"]!["template"]!["spec"]!;
            var actualPod = actual["spec"]!["template"]!["spec"]!;
            foreach (var field in new[] { "serviceAccountName", "automountServiceAccountToken", "securityContext" })
            {
                Assert.True(Canonical(expectedPod[field]) == Canonical(actualPod[field]), $"{name}: pod {field}\nhelm:     {Canonical(expectedPod[field])}\noperator: {Canonical(actualPod[field])}");
            }

            var expectedContainer = expectedPod["containers"]![0]!;
            var actualContainer = actualPod["containers"]![0]!;
            foreach (var field in new[] { "name", "image", "imagePullPolicy", "args", "env", "ports", "startupProbe", "livenessProbe", "readinessProbe", "resources", "securityContext" })
            {
                Assert.True(Canonical(expectedContainer[field]) == Canonical(actualContainer[field]), $"{name}: container {field}\nhelm:     {Canonical(expectedContainer[field])}\noperator: {Canonical(actualContainer[field])}");
            }
        }

        Assert.Equal(Canonical(Settings(helm)), Canonical(Settings(ours)));
        Assert.Equal(helm.OfKind("ServiceAccount").Select(s => s.Name()).Order(StringComparer.Ordinal), ours.Where(o => o.Kind() == "ServiceAccount").Select(s => s.Name()).Order(StringComparer.Ordinal));
        var helmRoles = helm.OfKind("ClusterRole").ToDictionary(r => r.Name(), r => Canonical(r["rules"]));
        var ourRoles = ours.Where(o => o.Kind() == "ClusterRole").ToDictionary(r => r.Name(), r => Canonical(r["rules"]));
        Assert.Equal(helmRoles, ourRoles);
    }

    private static JsonNode Settings(IEnumerable<JsonObject> manifests) =>
        JsonNode.Parse(manifests.Single(m => m.Kind() == "ConfigMap" && m.Name().EndsWith("-config", StringComparison.Ordinal))["data"]!["appsettings.json"]!.GetValue<string>())!;

    /// <summary>JSON with object keys sorted, so key order does not matter and values (numbers as written) do.</summary>
    private static string Canonical(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject obj => "{" + string.Join(",", obj.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"\"{kv.Key}\":{Canonical(kv.Value)}")) + "}",
        JsonArray array => "[" + string.Join(",", array.Select(Canonical)) + "]",
        _ => node.ToJsonString(),
    };
}
