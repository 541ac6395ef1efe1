using System.Text;
using ChasiSre.Diagnosis.Evidence;
using ChasiSre.Diagnosis.Llm;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Microsoft.Extensions.AI;

namespace ChasiSre.Diagnosis.Engine;

/// <summary>The one request a diagnosis makes: instructions, the evidence pack, and the names to pseudonymise.</summary>
internal static class DiagnosisPrompt
{
    private const string HostIdentity = "host";

    public static string Instructions { get; } = BuildInstructions();

    public static List<ChatMessage> Messages(EvidencePack pack) =>
    [
        new(ChatRole.System, Instructions),
        new ChatMessage(ChatRole.User, pack.Text).WithPriority(0),
    ];

    /// <summary>The repair round: the invalid answer and what is wrong with it, asked once.</summary>
    public static void AddRepair(List<ChatMessage> messages, string answer, IReadOnlyList<string> errors)
    {
        messages.Add(new ChatMessage(ChatRole.Assistant, answer.Length > 4000 ? answer[..4000] : answer));
        var text = new StringBuilder("Your answer does not satisfy the contract:\n");
        foreach (var error in errors.Take(12))
        {
            text.Append("- ").Append(error).Append('\n');
        }

        text.Append("Answer again with one corrected JSON object only. Cite only ids printed in the evidence pack.");
        messages.Add(new ChatMessage(ChatRole.User, text.ToString()));
    }

    /// <summary>
    /// Every name of the incident's clusters, tenants, namespaces, pods and nodes (both faces of twinned objects), so
    /// the provider sees typed tokens and the answer comes back with the real names.
    /// </summary>
    public static RedactionContext Redaction(Incident incident, EvidencePack pack)
    {
        var context = new RedactionContext();
        context.Add(RedactionKind.Tenant, [incident.Tenant, .. incident.Tenants]);
        var references = new List<ObjectRef?> { incident.Subject };
        references.AddRange(incident.Affected);
        references.AddRange(incident.Signals.SelectMany(s => new[] { s.Subject, s.Cause }));
        references.AddRange(pack.Items.Select(i => i.Subject));
        foreach (var r in references.OfType<ObjectRef>())
        {
            Add(context, r);
            if (r.Twin is { } twin)
            {
                Add(context, twin.Kind.Length > 0 ? twin : new ObjectRef(twin) { Kind = r.Kind });
            }
        }

        return context;
    }

    private static void Add(RedactionContext context, ObjectRef r)
    {
        // "host" is the host cluster's conventional identity, not a secret, and the word the instructions use.
        context.Add(RedactionKind.Cluster, new[] { r.Cluster, r.HostCluster }.Where(c => c != HostIdentity));
        context.Add(RedactionKind.Tenant, r.Tenant);
        context.Add(RedactionKind.Namespace, r.Namespace, r.HostNamespace);
        switch (r.Kind)
        {
            case "Pod":
                context.Add(RedactionKind.Pod, r.Name);
                break;
            case "Node":
                context.Add(RedactionKind.Node, r.Name);
                break;
            case "Namespace":
                context.Add(RedactionKind.Namespace, r.Name);
                break;
        }
    }

    private static string BuildInstructions()
    {
        var text = new StringBuilder();
        text.Append("""
            You are the diagnosis engine of an SRE pipeline for Kubernetes platforms where each tenant runs in a vCluster
            (a virtual cluster whose pods run as "twins" on a shared host cluster). You get the evidence pack of one
            incident. Every evidence item starts with an id in brackets: [sig:N] detector findings, [ev:N] events,
            [log:N] log lines, [obj:N] objects, [map:N] host/virtual mapping, [met:N] metrics, [biz:N] business signals,
            [kb:N] runbook sections. Names like <tenant-1> or <pod-2> are placeholders; use them as they are.

            Find the root cause and answer with one JSON object:
            - rootCause: one or two sentences naming the cause and the object it lives in (not just the symptom).
            - layer: "host" when the cause is in the host cluster (a node, a host quota or admission policy, storage
              classes, the vCluster syncer or control plane), "virtual" when it is inside the tenant's vCluster (its
              workloads, configuration, images), "business" when it is in the business system an adapter reports on.
            - confidence: 0 to 1; lower it when the evidence is thin or points two ways.
            - evidence: the ids that prove the cause, most decisive first. Only ids printed in the pack.
            - remediation: concrete steps for an engineer, imperative, naming the objects.
            - citations: the [kb:N] sections you relied on, if any.
            - actions: optional, only from the catalog below, only on an object id of the pack, and only when the action
              itself removes or mitigates the cause (restarting a pod does not fix a missing variable). Actions are
              proposals: a policy and a human decide.

            Action catalog (name: what it does; targets; parameters):

            """);
        foreach (var action in RemediationCatalog.All.Values)
        {
            text.Append("- ").Append(action.Name).Append(": ").Append(action.Description).Append("; ").Append(string.Join("/", action.TargetKinds));
            if (action.Parameters.Count > 0)
            {
                text.Append("; ").Append(string.Join(", ", action.Parameters));
            }

            text.Append('\n');
        }

        text.Append("\nAnswer with the JSON object only.");
        return text.ToString();
    }
}
