using System.Text.Json.Nodes;
using ChasiSre.Executor;

namespace ChasiSre.Operator;

/// <summary>
/// ActionPolicy: rendered to the executor's policy file (<see cref="PolicyYaml"/>), loaded with the executor's own
/// <see cref="PolicyLoader"/> (so the operator accepts exactly what the executor will), and, when valid, written as key
/// <c>&lt;name&gt;.yaml</c> into the executor's ConfigMap (<see cref="OperatorOptions.PolicyConfigMap"/>) in the policy's
/// namespace by server-side apply with a field manager of its own (each policy owns its key; the ConfigMap is shared, so it
/// has no owner reference). An invalid policy leaves the last valid version in place and reports the loader's
/// file:line:column errors in its <c>Valid</c> condition. A deleted policy's key is removed.
/// </summary>
public sealed class ActionPolicyReconciler(KubeObjectClient kube, OperatorOptions options)
{
    public async Task<ReconcileOutcome> ReconcileAsync(JsonObject resource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var ns = resource["metadata"]!["namespace"]!.GetValue<string>();
        var name = resource["metadata"]!["name"]!.GetValue<string>();
        var yaml = PolicyYaml.Render(resource);
        ActionPolicy policy;
        try
        {
            policy = PolicyLoader.Parse(yaml, PolicyYaml.FileName(ns, name));
        }
        catch (PolicyValidationException ex)
        {
            var errors = string.Join("\n", ex.Errors.Select(e => e.ToString()));
            return ReconcileOutcome.Invalid("PolicyInvalid", $"the executor's PolicyLoader refused the policy ({ex.Errors.Count} error{(ex.Errors.Count == 1 ? "" : "s")}); the last valid version stays in ConfigMap {options.PolicyConfigMap}:\n{errors}");
        }

        var configMap = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject
            {
                ["name"] = options.PolicyConfigMap,
                ["namespace"] = ns,
                ["labels"] = new JsonObject { ["app.kubernetes.io/part-of"] = "chasi-sre", ["app.kubernetes.io/component"] = "executor", ["app.kubernetes.io/managed-by"] = AgentWorkloads.ManagedBy },
            },
            ["data"] = new JsonObject { [PolicyYaml.Key(name)] = yaml },
        };
        await new KubeObjectClient(kube.Client, ManagerOf(name)).ApplyAsync(configMap, cancellationToken).ConfigureAwait(false);
        return new ReconcileOutcome(
            true, "PolicyLoaded", $"{policy.Rules.Count} rules, {policy.FreezeWindows.Count} freeze windows; loaded by the executor's PolicyLoader",
            true, "Written", $"key {PolicyYaml.Key(name)} of ConfigMap {ns}/{options.PolicyConfigMap}")
        {
            Status = new JsonObject { ["rules"] = policy.Rules.Count, ["freezeWindows"] = policy.FreezeWindows.Count, ["configMap"] = options.PolicyConfigMap },
        };
    }

    /// <summary>The policy was deleted: its key leaves the executor's ConfigMap.</summary>
    public async Task DeletedAsync(string @namespace, string name, CancellationToken cancellationToken = default)
    {
        if (await kube.GetAsync("v1", "ConfigMap", @namespace, options.PolicyConfigMap, cancellationToken).ConfigureAwait(false) is { } existing
            && existing["data"]?[PolicyYaml.Key(name)] is not null)
        {
            await kube.MergePatchAsync("v1", "ConfigMap", @namespace, options.PolicyConfigMap, new JsonObject { ["data"] = new JsonObject { [PolicyYaml.Key(name)] = null } }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Each policy applies its key under its own field manager, so server-side apply never drops another policy's key.</summary>
    private string ManagerOf(string name)
    {
        var manager = $"{options.FieldManager}-policy-{name}";
        return manager.Length <= 128 ? manager : manager[..128];
    }
}
