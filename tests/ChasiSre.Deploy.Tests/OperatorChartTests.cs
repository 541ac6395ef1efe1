using System.Text.Json.Nodes;

namespace ChasiSre.Deploy.Tests;

/// <summary>The chart's operator (operator.enabled): off by default, its own least-privilege RBAC, and refused where it cannot work.</summary>
public sealed class OperatorChartTests
{
    /// <summary>Every write the operator may make: resource -> verbs beyond get/list/watch.</summary>
    private static readonly Dictionary<string, string[]> AllowedWrites = new(StringComparer.Ordinal)
    {
        ["sreagents/status"] = ["patch", "update"],
        ["knowledgesources/status"] = ["patch", "update"],
        ["actionpolicies/status"] = ["patch", "update"],
        ["events"] = ["create", "patch"],
        ["configmaps"] = ["create", "patch", "delete"],
        ["serviceaccounts"] = ["create", "patch", "delete"],
        ["deployments"] = ["create", "patch", "delete"],
        ["statefulsets"] = ["create", "patch", "delete"],
        ["clusterroles"] = ["create", "patch", "delete"],
        ["clusterrolebindings"] = ["create", "patch", "delete"],
        ["leases"] = ["create", "update", "patch"],
    };

    [Theory]
    [MemberData(nameof(HelmChartTests.Examples), MemberType = typeof(HelmChartTests))]
    public async Task Template_ByDefault_RendersNoOperator(string example)
    {
        var manifests = await HelmChart.TemplateAsync(example, TestContext.Current.CancellationToken);

        Assert.DoesNotContain(manifests, m => m.Name().EndsWith("-operator", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Template_OperatorEnabled_GrantsOnlyTheWritesItNeeds()
    {
        var manifests = await HelmChart.TemplateAsync("centralized", TestContext.Current.CancellationToken, "--set", "operator.enabled=true");

        var roles = manifests.Where(m => m.Kind() is "ClusterRole" or "Role" && m.Name().EndsWith("-operator", StringComparison.Ordinal)).ToList();
        Assert.Equal(["ClusterRole", "Role"], roles.Select(r => r.Kind()).Order(StringComparer.Ordinal));
        foreach (var rule in roles.SelectMany(r => r["rules"]!.AsArray()).Select(r => r!))
        {
            var writes = rule["verbs"].Strings().Except(["get", "list", "watch"]).ToList();
            Assert.DoesNotContain("*", rule["verbs"].Strings());
            Assert.DoesNotContain("*", rule["resources"].Strings());
            Assert.DoesNotContain("escalate", writes);
            Assert.DoesNotContain("bind", writes);
            foreach (var resource in rule["resources"].Strings())
            {
                var allowed = AllowedWrites.GetValueOrDefault(resource, []);
                Assert.True(writes.All(allowed.Contains), $"the operator may {string.Join(",", writes)} {resource}");
            }
        }

        // The Lease it renews is named; only create (whose name is unknown beforehand) is unrestricted.
        var lease = roles.Single(r => r.Kind() == "Role")["rules"]!.AsArray().Single(r => r!["verbs"].Strings().Contains("update"))!;
        Assert.Equal(["chasi-chasi-sre-operator-lease"], lease["resourceNames"].Strings());
        var deployment = manifests.OfKind("Deployment").Single(d => d.Name() == "chasi-chasi-sre-operator");
        var env = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();
        Assert.Contains(env, e => e!["name"]!.GetValue<string>() == "Operator__LeaseName" && e["value"]!.GetValue<string>() == "chasi-chasi-sre-operator-lease");
        Assert.Equal(["run", "--components", "operator", "--config", "/etc/chasi/appsettings.json", "--listen", "http://0.0.0.0:8080"], deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["args"].Strings());
        Assert.Single(manifests.OfKind("PodDisruptionBudget"), p => p.Name() == "chasi-chasi-sre-operator");
        Assert.Single(manifests.OfKind("NetworkPolicy"), p => p.Name() == "chasi-chasi-sre-operator");
    }

    [Fact]
    public async Task Template_OperatorEnabledWithEmbedded_IsRefusedWithTheReason()
    {
        var result = await HelmChart.TemplateRawAsync(TestContext.Current.CancellationToken, "-f", RepositoryLayout.Example("embedded"), "--set", "operator.enabled=true");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("operator.enabled needs mode: centralized without embedded", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_OperatorRbac_CoversTheRulesOfTheClusterRolesItCreates()
    {
        // RBAC lets the operator create a ClusterRole only with permissions it holds itself (it has no escalate).
        var manifests = await HelmChart.TemplateAsync("centralized", TestContext.Current.CancellationToken, "--set", "operator.enabled=true");
        var operatorRules = manifests.OfKind("ClusterRole").Single(r => r.Name().EndsWith("-operator", StringComparison.Ordinal))["rules"]!.AsArray().Select(r => r!).ToList();
        foreach (var role in manifests.OfKind("ClusterRole").Where(r => r.Name().EndsWith("-ingest", StringComparison.Ordinal) || r.Name().EndsWith("-gateway", StringComparison.Ordinal)))
        {
            foreach (var rule in role["rules"]!.AsArray().Select(r => r!))
            {
                foreach (var group in rule["apiGroups"].Strings())
                {
                    foreach (var resource in rule["resources"].Strings())
                    {
                        foreach (var verb in rule["verbs"].Strings())
                        {
                            Assert.True(operatorRules.Any(o => o["apiGroups"].Strings().Contains(group) && o["resources"].Strings().Contains(resource) && o["verbs"].Strings().Contains(verb)), $"{role.Name()} grants {verb} {group}/{resource}, which the operator does not hold");
                        }
                    }
                }
            }
        }
    }
}
