using System.Text.Json.Nodes;
using ChasiSre.Executor;
using ChasiSre.Ingest;
using Microsoft.Extensions.Configuration;

namespace ChasiSre.Deploy.Tests;

/// <summary>The chart, linted and rendered by the real helm for each example values file, and the rendered
/// manifests checked for what the deploy promises: read-only RBAC, probes, PDBs, NetworkPolicies, modes.</summary>
public sealed class HelmChartTests
{
    private static readonly string[] WriteVerbs = ["create", "update", "patch", "delete", "deletecollection", "escalate", "bind", "impersonate", "approve", "sign", "*"];

    public static TheoryData<string> Examples => new(HelmChart.Examples);

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Lint_ExampleValues_Passes(string example)
    {
        var result = await HelmChart.LintAsync(example, TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 0, $"helm lint --strict -f {example}.yaml:\n{result.StdOut}\n{result.StdErr}");
        Assert.Contains("0 chart(s) failed", result.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("centralized", null, "executor")]
    [InlineData("distributed", null, null)]
    [InlineData("embedded", null, null)]
    [InlineData("embedded", "executor.enabled=true", "embedded")]
    [InlineData("centralized", "executor.inCluster=false", null)]
    public async Task Template_OnlyTheExecutorWrites_ExactlyTheCatalogsPermissions(string example, string? set, string? writer)
    {
        var manifests = await HelmChart.TemplateAsync(example, TestContext.Current.CancellationToken, set is null ? [] : new[] { "--set", set });
        var catalog = ExecutorCatalog.Permissions.SelectMany(p => p.Verbs.Select(v => (p.Group, p.Resource, Verb: v))).ToHashSet();

        var roles = manifests.Where(m => m.Kind() is "ClusterRole" or "Role").ToList();
        Assert.NotEmpty(roles);
        var writers = new List<string>();
        foreach (var role in roles)
        {
            var rules = role["rules"]!.AsArray().Select(r => r!).ToList();
            foreach (var rule in rules)
            {
                Assert.DoesNotContain("*", rule["verbs"].Strings());
                Assert.DoesNotContain("*", rule["resources"].Strings());
                Assert.DoesNotContain("*", rule["apiGroups"].Strings());
                Assert.Null(rule["nonResourceURLs"]);
                Assert.Null(rule["resourceNames"]);
            }

            var writes = rules
                .SelectMany(r => r["apiGroups"].Strings().SelectMany(g => r["resources"].Strings().SelectMany(res => r["verbs"].Strings().Select(v => (Group: g, Resource: res, Verb: v)))))
                .Where(g => WriteVerbs.Contains(g.Verb))
                .ToHashSet();
            if (writes.Count == 0)
            {
                continue;
            }

            writers.Add(role.Component()!);
            // Everything the role writes is in the catalog's permissions, and all of them are there.
            Assert.True(writes.IsSubsetOf(catalog), $"{role.Name()} grants writes outside ExecutorCatalog.Permissions: {string.Join(", ", writes.Except(catalog))}");
            Assert.True(catalog.Where(p => WriteVerbs.Contains(p.Verb)).All(writes.Contains), $"{role.Name()} lacks catalog writes: {string.Join(", ", catalog.Where(p => WriteVerbs.Contains(p.Verb)).Except(writes))}");
        }

        Assert.Equal(writer is null ? [] : [writer], writers);
    }

    [Fact]
    public async Task Template_ExecutorRole_GrantsExactlyTheCatalogsPermissions()
    {
        var manifests = await HelmChart.TemplateAsync("centralized", TestContext.Current.CancellationToken);

        var role = Assert.Single(manifests.OfKind("ClusterRole"), r => r.Component() == "executor");
        var granted = role["rules"]!.AsArray()
            .SelectMany(r => r!["apiGroups"].Strings().SelectMany(g => r["resources"].Strings().SelectMany(res => r["verbs"].Strings().Select(v => (g, res, v)))))
            .Order()
            .ToList();
        var catalog = ExecutorCatalog.Permissions.SelectMany(p => p.Verbs.Select(v => (p.Group, p.Resource, v))).Order().ToList();
        Assert.Equal(catalog, granted);
    }

    [Fact]
    public async Task Template_Executor_OneReplicaItsPolicyKubeconfigAndSettings()
    {
        var ct = TestContext.Current.CancellationToken;
        var manifests = await HelmChart.TemplateAsync("centralized", ct,
            "--set", "executor.adapters.team-a/shop/orders.url=http://orders.shop.svc:8080",
            "--set", "executor.adapters.team-a/shop/orders.tokenSecret.name=orders-adapter",
            "--set", "executor.adapters.team-a/shop/orders.tokenSecret.key=token");

        var executor = Assert.Single(manifests.OfKind("Deployment"), d => d.Component() == "executor");
        Assert.Equal(1, (int)executor["spec"]!["replicas"]!);
        Assert.Equal("Recreate", (string?)executor["spec"]!["strategy"]!["type"]);
        Assert.Equal("executor", ComponentsArg(executor));
        Assert.True((bool)executor["spec"]!["template"]!["spec"]!["automountServiceAccountToken"]!);
        var mounts = executor.Containers()[0]!["volumeMounts"]!.AsArray().ToDictionary(m => (string)m!["name"]!, m => (string)m!["mountPath"]!);
        var volumes = executor["spec"]!["template"]!["spec"]!["volumes"]!.AsArray().ToDictionary(v => (string)v!["name"]!, v => v!);
        Assert.Equal("chasi-executor-policies", (string?)volumes["executor-policy"]["configMap"]!["name"]);
        Assert.Null(volumes["executor-policy"]["configMap"]!["items"]![0]!["subPath"]);
        Assert.Equal("chasi-executor-kubeconfig", (string?)volumes["executor-kubeconfig"]["secret"]!["secretName"]);
        Assert.Equal("orders-adapter", (string?)volumes["adapter-token-0"]["secret"]!["secretName"]);
        Assert.DoesNotContain(executor.Containers()[0]!["volumeMounts"]!.AsArray(), m => m!["subPath"] is not null);

        var settings = AppSettings(manifests)["Executor"]!;
        Assert.Equal($"{mounts["executor-policy"]}/production.yaml", (string?)settings["PolicyFile"]);
        Assert.Equal($"{mounts["executor-kubeconfig"]}/config", (string?)settings["Kubeconfig"]);
        Assert.Equal("sealos-gz-1", (string?)settings["InCluster"]);
        Assert.Equal("vc-team-a", (string?)settings["Clusters"]!["team-a"]);
        Assert.Equal("http://orders.shop.svc:8080", (string?)settings["Adapters"]!["team-a/shop/orders"]!["Url"]);
        Assert.Equal($"{mounts["adapter-token-0"]}/token", (string?)settings["Adapters"]!["team-a/shop/orders"]!["TokenFile"]);

        // The settings bind to the executor's options as the pipeline binds them.
        var options = new ExecutorOptions();
        new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(AppSettings(manifests).ToJsonString())))
            .Build().GetSection(ExecutorOptions.SectionName).Bind(options);
        Assert.Equal(TimeSpan.FromSeconds(10), options.PolicyReloadInterval);
        Assert.Equal(TimeSpan.FromMinutes(10), options.VerificationWindow);
        Assert.Equal(new Uri("http://orders.shop.svc:8080"), options.Adapters["team-a/shop/orders"].Url);
        Assert.Equal(["team-a", "team-b"], options.Clusters.Keys.Order(StringComparer.Ordinal));

        var egress = Assert.Single(manifests.OfKind("NetworkPolicy"), p => p.Component() == "executor")["spec"]!["egress"]!.AsArray()
            .SelectMany(e => e!["ports"]!.AsArray().Select(p => (int)p!["port"]!)).ToHashSet();
        Assert.Superset(new HashSet<int> { 53, 9093, 6443, 8443, 8080 }, egress);
        Assert.DoesNotContain(8123, egress);
    }

    [Fact]
    public async Task Template_ExecutorInlinePolicy_RenderedIntoItsConfigMap_AndLoadsWithTheExecutorsLoader()
    {
        var policy = File.ReadAllText(Path.Combine(RepositoryLayout.Root, "executor", "ChasiSre.Executor", "examples", "policy.yaml"));
        var values = Path.Combine(Directory.CreateTempSubdirectory("chasi-executor-values-").FullName, "values.yaml");
        File.WriteAllText(values, "executor:\n  enabled: true\n  policy: |\n" + string.Concat(policy.Split('\n').Select(l => "    " + l + "\n")));
        try
        {
            var manifests = await HelmChart.TemplateAsync("embedded", TestContext.Current.CancellationToken, "-f", values);

            var config = Assert.Single(manifests.OfKind("ConfigMap"), c => c.Name().EndsWith("-executor-policy", StringComparison.Ordinal));
            var loaded = PolicyLoader.Parse((string)config["data"]!["policy.yaml"]!, "policy.yaml");
            Assert.Equal(PolicyLoader.Load(Path.Combine(RepositoryLayout.Root, "executor", "ChasiSre.Executor", "examples", "policy.yaml")).Rules.Select(r => r.Name), loaded.Rules.Select(r => r.Name));
            var pod = Assert.Single(manifests.OfKind("StatefulSet"));
            Assert.EndsWith(",api,executor", ComponentsArg(pod), StringComparison.Ordinal);
            Assert.Equal("/etc/chasi-executor/policy/policy.yaml", (string?)AppSettings(manifests)["Executor"]!["PolicyFile"]);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(values)!, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Template_ExampleValues_SecretsReadOnlyByIngestAndGatewayAsDocumented(string example)
    {
        var manifests = await HelmChart.TemplateAsync(example, TestContext.Current.CancellationToken);

        foreach (var role in manifests.OfKind("ClusterRole"))
        {
            var secretVerbs = role["rules"]!.AsArray()
                .Where(r => r!["apiGroups"].Strings().Contains("") && r["resources"].Strings().Contains("secrets"))
                .SelectMany(r => r!["verbs"].Strings())
                .ToHashSet();
            // Documented in templates/rbac.yaml and docs/deploy.md: ingest lists and watches Secrets (values dropped in
            // process; RBAC cannot narrow a watch to vc-* names), the gateway gets adapter tokens by name.
            var allowed = role.Component() switch
            {
                "ingest" or "embedded" => new HashSet<string> { "get", "list", "watch" },
                "gateway" => ["get"],
                _ => [],
            };
            Assert.True(secretVerbs.IsSubsetOf(allowed), $"{role.Name()} ({role.Component()}) has secrets verbs {string.Join(",", secretVerbs)}");
        }
    }

    [Theory]
    [InlineData("centralized")]
    [InlineData("distributed")]
    [InlineData("embedded")]
    public async Task Template_IngestRole_CoversEveryResourceIngestWatches(string example)
    {
        var manifests = await HelmChart.TemplateAsync(example, TestContext.Current.CancellationToken);
        var role = manifests.OfKind("ClusterRole").Single(r => r.Component() is "ingest" or "embedded");
        var granted = role["rules"]!.AsArray()
            .SelectMany(r => r!["apiGroups"].Strings().SelectMany(g => r["resources"].Strings().SelectMany(res => r["verbs"].Strings().Select(v => (g, res, v)))))
            .ToHashSet();

        foreach (var resource in KubeResources.Default)
        {
            foreach (var verb in new[] { "get", "list", "watch" })
            {
                Assert.True(granted.Contains((resource.Group, resource.Plural, verb)), $"ingest watches {resource.Group}/{resource.Plural} but the role lacks {verb}");
            }
        }

        Assert.Contains(("", "pods/log", "get"), granted);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Template_ExampleValues_EveryContainerHasProbesResourcesAndLockedDownSecurityContext(string example)
    {
        var manifests = await HelmChart.TemplateAsync(example, TestContext.Current.CancellationToken);

        var workloads = manifests.Where(m => m.Kind() is "Deployment" or "StatefulSet").ToList();
        Assert.NotEmpty(workloads);
        foreach (var workload in workloads)
        {
            foreach (var container in workload.Containers())
            {
                var where = $"{workload.Name()}/{container!["name"]}";
                Assert.True((string?)container["livenessProbe"]?["httpGet"]?["path"] == "/healthz", $"{where}: liveness /healthz");
                Assert.True((string?)container["readinessProbe"]?["httpGet"]?["path"] == "/readyz", $"{where}: readiness /readyz");
                Assert.NotNull(container["startupProbe"]);
                Assert.NotNull(container["resources"]?["requests"]?["memory"]);
                Assert.NotNull(container["resources"]?["limits"]?["memory"]);
                Assert.Equal("false", container["securityContext"]?["allowPrivilegeEscalation"]?.ToString());
                Assert.Equal("true", container["securityContext"]?["readOnlyRootFilesystem"]?.ToString());
                Assert.Equal("run", (string?)container["args"]![0]);
                Assert.Contains("--components", container["args"].Strings());
            }
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Template_ExampleValues_EveryWorkloadHasPdbNetworkPolicyAndServiceAccount(string example)
    {
        var manifests = await HelmChart.TemplateAsync(example, TestContext.Current.CancellationToken);

        foreach (var workload in manifests.Where(m => m.Kind() is "Deployment" or "StatefulSet"))
        {
            var component = workload.Component();
            Assert.Single(manifests.OfKind("PodDisruptionBudget"), p => p.Component() == component);
            var policy = Assert.Single(manifests.OfKind("NetworkPolicy"), p => p.Component() == component);
            Assert.Equal(["Ingress", "Egress"], policy["spec"]!["policyTypes"].Strings());
            var ingress = policy["spec"]!["ingress"]!.AsArray();
            if (component is "api" or "embedded")
            {
                Assert.Equal("8080", Assert.Single(ingress)!["ports"]![0]!["port"]!.ToString());
            }
            else
            {
                Assert.Empty(ingress);
            }

            var egressPorts = policy["spec"]!["egress"]!.AsArray().SelectMany(e => e!["ports"]!.AsArray().Select(p => p!["port"]!.ToString())).ToHashSet();
            Assert.Contains("53", egressPorts);
            var account = (string)workload["spec"]!["template"]!["spec"]!["serviceAccountName"]!;
            Assert.Single(manifests.OfKind("ServiceAccount"), s => s.Name() == account);
            var talksToApiServer = component is "ingest" or "gateway" or "embedded" or "executor";
            Assert.Equal(talksToApiServer, (bool)workload["spec"]!["template"]!["spec"]!["automountServiceAccountToken"]!);
            Assert.Equal(talksToApiServer, manifests.OfKind("ClusterRoleBinding").Any(b => b["subjects"]!.AsArray().Any(s => (string)s!["name"]! == account)));
        }
    }

    [Fact]
    public async Task Template_Distributed_RendersOnlyIngestInDistributedMode()
    {
        var manifests = await HelmChart.TemplateAsync("distributed", TestContext.Current.CancellationToken);

        var workload = Assert.Single(manifests, m => m.Kind() is "Deployment" or "StatefulSet");
        Assert.Equal("ingest", workload.Component());
        Assert.Equal(1, (int)workload["spec"]!["replicas"]!);
        Assert.DoesNotContain(manifests, m => m.Kind() is "Service" or "KafkaTopic");
        var settings = AppSettings(manifests);
        Assert.Equal("Distributed", (string?)settings["Ingest"]!["Mode"]);
        Assert.Equal("team-a", (string?)settings["Ingest"]!["ClusterName"]);
        Assert.Equal("ns-team-a", (string?)settings["Ingest"]!["HostNamespace"]);
        Assert.Equal(false, (bool?)settings["Ingest"]!["DiscoverVClusters"]);
        Assert.Null(settings["ClickHouse"]);
    }

    [Fact]
    public async Task Template_Embedded_RunsEverythingInOnePodWithAVolume()
    {
        var manifests = await HelmChart.TemplateAsync("embedded", TestContext.Current.CancellationToken);

        var workload = Assert.Single(manifests, m => m.Kind() is "Deployment" or "StatefulSet");
        Assert.Equal("StatefulSet", workload.Kind());
        var args = workload.Containers()[0]!["args"].Strings().ToList();
        Assert.Contains("--embedded", args);
        Assert.Equal("ingest,gateway,streams,sink,diagnosis,knowledge,api", args[args.IndexOf("--components") + 1]);
        Assert.NotEmpty(workload["spec"]!["volumeClaimTemplates"]!.AsArray());
        Assert.Null(AppSettings(manifests)["Kafka"]);
    }

    [Fact]
    public async Task Template_Centralized_RunsEachStageAsItsOwnWorkload()
    {
        var manifests = await HelmChart.TemplateAsync("centralized", TestContext.Current.CancellationToken);

        var workloads = manifests.Where(m => m.Kind() is "Deployment" or "StatefulSet").ToDictionary(w => w.Component()!, w => w);
        Assert.Equal(["api", "diagnosis", "executor", "gateway", "ingest", "sink", "streams"], workloads.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("StatefulSet", workloads["streams"].Kind());
        Assert.NotEmpty(workloads["streams"]["spec"]!["volumeClaimTemplates"]!.AsArray());
        Assert.Equal("Recreate", (string?)workloads["ingest"]["spec"]!["strategy"]!["type"]);
        Assert.Equal("diagnosis,knowledge", ComponentsArg(workloads["diagnosis"]));
        var env = workloads["sink"].Containers()[0]!["env"]!.AsArray();
        var connection = (string)env.Single(e => (string)e!["name"]! == "ClickHouse__ServerConnectionString")!["value"]!;
        Assert.Contains("Password=$(ClickHouse__Password)", connection, StringComparison.Ordinal);
        Assert.Equal("chasi-clickhouse", (string?)env.Single(e => (string)e!["name"]! == "ClickHouse__Password")!["valueFrom"]!["secretKeyRef"]!["name"]);
        Assert.Single(manifests.OfKind("Service"), s => s.Component() == "api" && (string?)s["spec"]!["type"] == "ClusterIP");
        var tokens = Assert.Single(manifests.OfKind("Secret"));
        Assert.Equal("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", (string?)tokens["stringData"]!["Api__Tokens__0__Sha256"]);
        Assert.Equal(12, (int)AppSettings(manifests)["Streams"]!["Partitions"]!);
    }

    [Theory]
    [InlineData("mode=bogus", "value must be one of")]
    [InlineData("llm.provider=Gpt", "value must be one of")]
    [InlineData("streams.replicas=13", "must not exceed streams.partitions")]
    [InlineData("kafka.securityProtocol=SASL_SSL", "needs kafka.sasl.username")]
    [InlineData("api.tokens[0].name=x,api.tokens[0].sha256=not-a-hash,api.tokens[0].tenants[0]=*", "sha256")]
    [InlineData("executor.enabled=true,executor.clusters.team-a=vc-team-a", "it needs executor.kubeconfigSecret.name")]
    [InlineData("executor.enabled=true,executor.policy=x,executor.policyConfigMap.name=p,executor.policyConfigMap.key=k", "are exclusive")]
    [InlineData("executor.enabled=true,executor.policyConfigMap.name=p", "needs executor.policyConfigMap.key")]
    [InlineData("executor.enabled=true,executor.kubeconfigSecret.name=k,executor.clusters.host=ctx", "already reaches with the executor's ServiceAccount")]
    [InlineData("executor.enabled=true,executor.verificationWindow=10m", "verificationWindow")]
    public async Task Template_InvalidValues_RefusedWithTheReason(string set, string reason)
    {
        var result = await HelmChart.TemplateRawAsync(TestContext.Current.CancellationToken, "--set", set);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(reason, result.StdErr, StringComparison.Ordinal);
    }

    private static string ComponentsArg(JsonObject workload)
    {
        var args = workload.Containers()[0]!["args"].Strings().ToList();
        return args[args.IndexOf("--components") + 1];
    }

    private static JsonObject AppSettings(List<JsonObject> manifests)
    {
        var config = Assert.Single(manifests.OfKind("ConfigMap"), c => c.Name().EndsWith("-config", StringComparison.Ordinal));
        return JsonNode.Parse((string)config["data"]!["appsettings.json"]!)!.AsObject();
    }
}
