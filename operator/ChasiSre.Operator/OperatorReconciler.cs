using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Operator;

/// <summary>
/// One reconcile of one chasi.io resource: reads its current state, runs the kind's reconciler and writes the outcome
/// into its status (<see cref="StatusReporter"/>); a resource that is gone gets the kind's clean-up with its last known
/// state. Counted in <c>chasisre.operator.reconciles</c> and timed in <c>chasisre.operator.reconcile.duration</c>.
/// </summary>
public sealed class OperatorReconciler(
    KubeObjectClient kube,
    SreAgentReconciler agents,
    KnowledgeSourceReconciler knowledge,
    ActionPolicyReconciler policies,
    StatusReporter status,
    TimeProvider timeProvider,
    ILogger<OperatorReconciler> logger)
{
    /// <summary>Reconciles the resource; <paramref name="lastKnown"/> is its last state when a watch reported it deleted.</summary>
    /// <returns>The outcome written, or null when the resource is gone (clean-up ran).</returns>
    public async Task<ReconcileOutcome?> ReconcileAsync(string kind, string @namespace, string name, JsonObject? lastKnown = null, CancellationToken cancellationToken = default)
    {
        var started = timeProvider.GetTimestamp();
        var result = "error";
        try
        {
            var current = await kube.GetAsync(ChasiResources.ApiVersion, kind, @namespace, name, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                if (lastKnown is not null)
                {
                    await DeletedAsync(kind, lastKnown, cancellationToken).ConfigureAwait(false);
                    logger.CleanedUp(kind, @namespace, name);
                }

                result = "deleted";
                return null;
            }

            current["apiVersion"] ??= ChasiResources.ApiVersion;
            current["kind"] ??= kind;
            var outcome = kind switch
            {
                ChasiResources.SreAgentKind => await agents.ReconcileAsync(current, cancellationToken).ConfigureAwait(false),
                ChasiResources.KnowledgeSourceKind => await knowledge.ReconcileAsync(current, cancellationToken).ConfigureAwait(false),
                ChasiResources.ActionPolicyKind => await policies.ReconcileAsync(current, cancellationToken).ConfigureAwait(false),
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a chasi.io kind"),
            };
            await status.ReportAsync(current, outcome, cancellationToken).ConfigureAwait(false);
            result = outcome.Valid ? (outcome.Ready ? "ready" : "not-ready") : "invalid";
            logger.Reconciled(kind, @namespace, name, outcome.Valid, outcome.Ready, outcome.ReadyReason);
            return outcome;
        }
        finally
        {
            var tags = new TagList { { "kind", kind }, { "result", result } };
            OperatorTelemetry.Reconciles.Add(1, tags);
            OperatorTelemetry.ReconcileDuration.Record(timeProvider.GetElapsedTime(started).TotalSeconds, tags);
        }
    }

    private async Task DeletedAsync(string kind, JsonObject lastKnown, CancellationToken cancellationToken)
    {
        var ns = lastKnown["metadata"]!["namespace"]!.GetValue<string>();
        var name = lastKnown["metadata"]!["name"]!.GetValue<string>();
        switch (kind)
        {
            case ChasiResources.SreAgentKind:
                await agents.DeletedAsync(lastKnown, cancellationToken).ConfigureAwait(false);
                break;
            case ChasiResources.ActionPolicyKind:
                await policies.DeletedAsync(ns, name, cancellationToken).ConfigureAwait(false);
                break;
            default:
                // A KnowledgeSource's documents stay until a newer listing replaces them (the knowledge base's contract).
                break;
        }
    }
}
