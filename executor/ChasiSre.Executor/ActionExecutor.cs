using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Google.Protobuf.WellKnownTypes;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Executor;

/// <summary>
/// The executor's flow, without the host: proposals from diagnoses become actions that are checked, decided by the
/// <see cref="ActionPolicy"/>, dry-run, approved (by the policy or a person), executed, verified against the incident and
/// rolled back when they did not help. Every step is an <see cref="ActionRecord"/> written through the
/// <see cref="IActionRecordSink"/> before the executor goes on, and its ledger is those records folded
/// (<see cref="ActionTransitions"/>), so <see cref="RecoverAsync"/> can rebuild it from <c>chasi.actions.v1</c>.
/// </summary>
/// <remarks>
/// Entry points run one at a time (an async lock): an action's steps never interleave with another's decision on the
/// same object. Nothing runs without the policy saying auto or a person approving; the LLM's proposal is only input.
/// </remarks>
public sealed class ActionExecutor : IDisposable
{
    /// <summary>The actor of the executor's own steps.</summary>
    public const string Actor = "executor";

    /// <summary>The <c>reportingComponent</c> of the Events it writes on targets.</summary>
    public const string Component = "chasi-executor";

    /// <summary>The reason code on an action a rule would have run by itself but a language model proposed.</summary>
    public const string ModelProposalReason = "model-proposal";

    private readonly ActionPolicySource policies;
    private readonly KubernetesClusters clusters;
    private readonly IActionRecordSink audit;
    private readonly ExecutorOptions options;
    private readonly TimeProvider time;
    private static readonly TimeSpan EvictionInterval = TimeSpan.FromMinutes(1);

    private readonly ILogger logger;
    private readonly RunbookClient runbooks;
    private readonly HttpClient? ownedHttp;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<string, ActionState> ledger = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IncidentView> incidents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long After, DateTimeOffset Deadline)> verifying = new(StringComparer.Ordinal);
    private DateTimeOffset lastEviction = DateTimeOffset.MinValue;

    /// <summary>An executor under a policy that never changes.</summary>
    public ActionExecutor(
        ActionPolicy policy,
        KubernetesClusters clusters,
        IActionRecordSink audit,
        IOptions<ExecutorOptions> options,
        TimeProvider? time = null,
        ILogger<ActionExecutor>? logger = null,
        HttpClient? http = null)
        : this(new ActionPolicySource(policy), clusters, audit, options, time, logger, http)
    {
    }

    /// <summary>An executor that judges each proposal by the policy <paramref name="policies"/> has in force when it arrives.</summary>
    public ActionExecutor(
        ActionPolicySource policies,
        KubernetesClusters clusters,
        IActionRecordSink audit,
        IOptions<ExecutorOptions> options,
        TimeProvider? time = null,
        ILogger<ActionExecutor>? logger = null,
        HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(clusters);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(options);
        this.policies = policies;
        this.clusters = clusters;
        this.audit = audit;
        this.options = options.Value;
        this.time = time ?? TimeProvider.System;
        this.logger = logger ?? NullLogger<ActionExecutor>.Instance;
        if (http is null)
        {
            ownedHttp = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            http = ownedHttp;
        }

        runbooks = new RunbookClient(http, this.options);
    }

    /// <summary>Every action the ledger holds.</summary>
    public IReadOnlyList<ActionState> Actions
    {
        get
        {
            lock (ledger)
            {
                return [.. ledger.Values];
            }
        }
    }

    /// <summary>The action with this id, or null.</summary>
    public ActionState? Find(string actionId)
    {
        lock (ledger)
        {
            return ledger.GetValueOrDefault(actionId);
        }
    }

    /// <summary>
    /// Rebuilds the ledger from the audit log (every record of <c>chasi.actions.v1</c>, in topic order) and settles
    /// what a crash interrupted: an action found EXECUTING (or rolling back) is marked FAILED — never run again blindly —,
    /// an APPROVED one that never started is executed, and executed ones wait for their verification again.
    /// </summary>
    public async Task RecoverAsync(IEnumerable<ActionRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        await gate.WaitAsync(cancellationToken);
        try
        {
            var count = 0;
            foreach (var record in records)
            {
                count++;
                lock (ledger)
                {
                    ledger[record.ActionId] = ActionTransitions.Apply(ledger.GetValueOrDefault(record.ActionId), record);
                }
            }

            Evict(time.GetUtcNow());
            var states = Actions.Where(s => s.Sequence > 0).ToList();
            logger.LedgerRebuilt(TopicCatalog.Actions.Name, count, states.Count, states.Count(s => s.InFlight));
            foreach (var state in states.Where(s => s.InFlight))
            {
                switch (state.Phase)
                {
                    case ActionPhase.Executing:
                        await FailAsync(state, "executor restarted during execution: not run again; check the target", cancellationToken);
                        break;
                    case ActionPhase.RollbackRequested:
                        await FailAsync(state, "executor restarted during the rollback: not run again; check the target", cancellationToken);
                        break;
                    case ActionPhase.NotVerified:
                        await FailAsync(state, "executor restarted before the rollback: not run again; roll back by hand or request it", cancellationToken);
                        break;
                    case ActionPhase.Proposed:
                        await FailAsync(state, "executor restarted before the policy decided: proposals are decided once, when they arrive", cancellationToken);
                        break;
                    case ActionPhase.Approved:
                        await ExecuteAsync(state, cancellationToken);
                        break;
                    case ActionPhase.Succeeded:
                        verifying[state.ActionId] = (Math.Max(state.VerifyAfterRevision, state.IncidentRevision), (state.SucceededAt ?? time.GetUtcNow()) + options.VerificationWindow);
                        break;
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Remembers the incident's latest revision; a RESOLVED revision after an action's execution verifies it.</summary>
    public async Task HandleIncidentAsync(Incident incident, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incident);
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (incidents.TryGetValue(incident.Id, out var known) && known.Revision > incident.Revision)
            {
                return;
            }

            // Kept even when resolved long ago (the compacted topic is read from its start): the next eviction drops it
            // unless an action of it is still in flight.
            incidents[incident.Id] = IncidentView.From(incident, time.GetUtcNow());

            if (incident.State != IncidentState.Resolved)
            {
                return;
            }

            foreach (var (actionId, (after, _)) in verifying.ToList())
            {
                var state = Find(actionId);
                if (state is { Phase: ActionPhase.Succeeded } && state.IncidentId == incident.Id && incident.Revision > after)
                {
                    verifying.Remove(actionId);
                    await StepAsync(state, ActionPhase.Verified, Actor, $"incident {incident.Id} resolved at revision {incident.Revision}", cancellationToken: cancellationToken);
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Proposes each remediation of <paramref name="diagnosis"/> that names a catalog action, once per idempotency key,
    /// and takes it as far as the policy allows. Throws <see cref="Platform.Kafka.TransientFailureException"/> while the
    /// incident has not been seen yet and <paramref name="receivedAt"/> is within <see cref="ExecutorOptions.IncidentWait"/>.
    /// </summary>
    public async Task HandleDiagnosisAsync(Diagnosis diagnosis, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(diagnosis);
        var proposals = diagnosis.Remediations.Where(r => r.Action.Length > 0).ToList();
        if (proposals.Count == 0)
        {
            return;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            var incident = incidents.GetValueOrDefault(diagnosis.IncidentId);
            if (incident is null && time.GetUtcNow() - receivedAt < options.IncidentWait)
            {
                logger.IncidentNotSeen(diagnosis.IncidentId);
                throw new Platform.Kafka.TransientFailureException($"incident {diagnosis.IncidentId} not seen yet on {TopicCatalog.Incidents.Name}");
            }

            if (incident is { State: IncidentState.Resolved } && incident.Revision >= diagnosis.IncidentRevision)
            {
                logger.DiagnosisSkipped(diagnosis.IncidentId, $"incident resolved at revision {incident.Revision}");
                return;
            }

            foreach (var remediation in proposals)
            {
                await ProposeAsync(diagnosis, remediation, incident, cancellationToken);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Acts on a decision a person published on <c>chasi.actions.v1</c> (sequence 0): approve or reject a
    /// PENDING_APPROVAL action, roll back an executed reversible one. An invalid request is audited, not acted on. The
    /// executor's own records (sequence &gt; 0) are ignored here: they are in the ledger already. With
    /// <paramref name="replayed"/> (a request from the part of the log the ledger was rebuilt from), it acts only when
    /// the ledger still lists the request as unanswered, so a restart answers nothing twice.
    /// </summary>
    public async Task HandleActionRecordAsync(ActionRecord record, bool replayed = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Sequence > 0)
        {
            return;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            var state = Find(record.ActionId);
            if (state is null || state.Sequence == 0)
            {
                logger.UnknownAction(ActionTransitions.Name(record.Phase), record.Actor, record.ActionId);
                return;
            }

            if (replayed)
            {
                var pending = state.Requests.FirstOrDefault(r => r.Actor == record.Actor && r.Phase == record.Phase && Equals(r.At, record.At));
                if (pending is null)
                {
                    return; // Answered before the restart.
                }

                lock (ledger)
                {
                    state = state with { Requests = [.. state.Requests.Where(r => !ReferenceEquals(r, pending))] };
                    ledger[state.ActionId] = state;
                }
            }

            var problem = !ActionDecisions.IsPersonActor(record.Actor)
                ? $"the actor '{record.Actor}' is not a person (user:<name>)"
                : ActionTransitions.CheckRequest(state, record.Phase);
            if (problem is not null)
            {
                ExecutorTelemetry.RefusedCounter.Add(1, new KeyValuePair<string, object?>("phase", ActionTransitions.Name(record.Phase)));
                logger.RequestRefused(ActionTransitions.Name(record.Phase), record.Actor, record.ActionId, problem);
                await StepAsync(state, state.Phase, record.Actor, $"refused {ActionTransitions.Name(record.Phase)}: {problem}", cancellationToken: cancellationToken);
                return;
            }

            var reason = record.Reason.Length > 0 ? record.Reason : $"{ActionTransitions.Name(record.Phase)} by {record.Actor}";
            switch (record.Phase)
            {
                case ActionPhase.Approved:
                    state = await StepAsync(state, ActionPhase.Approved, record.Actor, reason, cancellationToken: cancellationToken);
                    await ExecuteAsync(state, cancellationToken);
                    break;
                case ActionPhase.Rejected:
                    await StepAsync(state, ActionPhase.Rejected, record.Actor, reason, cancellationToken: cancellationToken);
                    break;
                case ActionPhase.RollbackRequested:
                    verifying.Remove(state.ActionId);
                    state = await StepAsync(state, ActionPhase.RollbackRequested, record.Actor, reason, cancellationToken: cancellationToken);
                    await RollbackAsync(state, cancellationToken);
                    break;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Marks every executed action whose verification window closed without the incident resolving NOT_VERIFIED, and rolls back the reversible ones.</summary>
    public async Task CheckDeadlinesAsync(CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (now - lastEviction >= EvictionInterval)
            {
                Evict(now);
            }

            foreach (var (actionId, (_, deadline)) in verifying.Where(v => v.Value.Deadline <= now).ToList())
            {
                verifying.Remove(actionId);
                if (Find(actionId) is not { Phase: ActionPhase.Succeeded } state)
                {
                    continue;
                }

                state = await StepAsync(state, ActionPhase.NotVerified, Actor, $"incident {state.IncidentId} not resolved within {options.VerificationWindow} of the execution", cancellationToken: cancellationToken);
                if (state.Reversible)
                {
                    await RollbackAsync(state, cancellationToken);
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task ProposeAsync(Diagnosis diagnosis, Remediation proposal, IncidentView? incident, CancellationToken cancellationToken)
    {
        var remediationId = proposal.Id.Length > 0 ? proposal.Id : $"{proposal.Action}:{(proposal.Target is { } t ? RecordKeys.ForObject(t) : "")}";
        var key = ActionIds.IdempotencyKey(diagnosis.IncidentId, diagnosis.IncidentRevision, remediationId);
        var actionId = ActionIds.ForKey(key);
        if (Find(actionId) is { Sequence: > 0 } existing)
        {
            logger.DuplicateProposal(key, actionId, ActionTransitions.Name(existing.Phase));
            return;
        }

        var remediation = Sanitized(proposal);
        var target = remediation.Target ?? new ObjectRef();
        var state = new ActionState
        {
            ActionId = actionId,
            IncidentId = diagnosis.IncidentId,
            Tenant = target.Tenant.Length > 0 ? target.Tenant : diagnosis.Tenant,
            IdempotencyKey = key,
            IncidentRevision = diagnosis.IncidentRevision,
            Remediation = remediation,
        };
        state = await StepAsync(state, ActionPhase.Proposed, Actor, $"proposed by diagnosis ({diagnosis.Engine}): {proposal.Title}", cancellationToken: cancellationToken);

        // The executor's own checks, then the policy (which also checks the catalog, the parameters, the target kind,
        // the incident's scope and the blast radius). Everything is evaluated, so the record has every reason.
        var refusals = new List<string>();
        if (incident is null)
        {
            refusals.Add($"incident: {diagnosis.IncidentId} was not seen on {TopicCatalog.Incidents.Name} within {options.IncidentWait}");
        }

        if (remediation.Target is null)
        {
            refusals.Add("target: the proposal names no target");
        }
        else if (Actions.FirstOrDefault(a => a.ActionId != actionId && a.InFlight && a.Sequence > 0 && a.TargetKey == RecordKeys.ForObject(target)) is { } busy)
        {
            refusals.Add($"in-flight: action {busy.ActionId} ({busy.Remediation?.Action}) is {ActionTransitions.Name(busy.Phase)} on the same object; one action per object at a time");
        }

        if (proposal.Action == RemediationCatalog.PatchConfigMap && proposal.Parameters.TryGetValue("key", out var configKey) && SecretRedaction.IsSecretName(configKey))
        {
            refusals.Add($"secret-key: '{configKey}' looks like a secret; secrets belong in a Secret, and the executor never writes or records their values");
        }

        var now = time.GetUtcNow();
        var request = new ActionRequest(
            proposal.Action,
            new ActionTarget(target.Cluster, target.Tenant, target.Layer, target.Kind, target.Namespace, target.Name),
            proposal.Parameters,
            proposal.Risk,
            incident?.ScopeFor(target) ?? new IncidentScope(diagnosis.IncidentId, "", diagnosis.Tenant),
            ObjectsTouched: 1,
            RecentTenantActions: Actions.Count(a => a.Tenant == state.Tenant && a.ExecutingAt is { } at && now - at < TimeSpan.FromHours(1)),
            Now: now);
        var policy = policies.Current;
        var evaluation = PolicyEvaluator.Evaluate(policy, request);
        var reasons = refusals.Concat(evaluation.Reasons.Select(r => r.ToString())).ToList();
        var rule = evaluation.Rule ?? "";
        if (refusals.Count > 0 || evaluation.Decision == ActionDecision.Deny)
        {
            var why = refusals.Count > 0 ? refusals[0] : evaluation.Reasons.First(r => r.Code is not PolicyReasonCodes.RiskRaised).ToString();
            await StepAsync(state, ActionPhase.Denied, refusals.Count > 0 ? Actor : PolicyActor(rule), why, record =>
            {
                record.Decision = "deny";
                record.PolicyRule = rule;
                record.Reasons.AddRange(reasons);
            }, cancellationToken);
            return;
        }

        string diff;
        try
        {
            diff = await DryRunAsync(remediation, actionId, cancellationToken);
        }
        catch (Exception e) when (IsActionFailure(e))
        {
            await FailAsync(state, $"dry run failed: {e.Message}", cancellationToken);
            return;
        }

        // A language model's proposal is never run on the policy's word alone: whoever can write what the model reads
        // (a log line, an event, a runbook) could otherwise choose actions that a rule lets run by themselves.
        var auto = evaluation.Decision == ActionDecision.Auto;
        var fromModel = diagnosis.Engine != DiagnosisEngines.Rules;
        if (auto && fromModel)
        {
            auto = false;
            reasons.Add($"{ModelProposalReason}: proposed by a language model ({diagnosis.Engine}); a rule's auto applies only to the rules engine's proposals, a person approves this one");
        }

        state = await StepAsync(
            state,
            auto ? ActionPhase.Approved : ActionPhase.PendingApproval,
            auto ? PolicyActor(rule) : Actor,
            auto
                ? $"policy {policy.Name}: {(rule.Length > 0 ? $"rule '{rule}'" : "default")} says auto"
                : evaluation.Decision == ActionDecision.Auto
                    ? $"policy {policy.Name}: {(rule.Length > 0 ? $"rule '{rule}'" : "default")} says auto, but a language model proposed it: needs approval"
                    : $"policy {policy.Name}: needs approval ({(rule.Length > 0 ? $"rule '{rule}'" : "default")})",
            record =>
            {
                record.Decision = auto ? "auto" : "approval";
                record.PolicyRule = rule;
                record.Reasons.AddRange(reasons);
                record.DryRun = true;
                record.Diff = diff;
            },
            cancellationToken);
        if (auto)
        {
            await ExecuteAsync(state, cancellationToken);
        }
    }

    private async Task<string> DryRunAsync(Remediation remediation, string actionId, CancellationToken cancellationToken)
    {
        if (remediation.Action == RemediationCatalog.ExecuteRunbook)
        {
            var runbookId = remediation.Parameters["runbook"];
            var listed = await runbooks.ListAsync(remediation.Target, cancellationToken);
            if (!listed.Any(r => r.Id == runbookId))
            {
                throw new ActionFailedException($"adapter '{RunbookClient.AdapterKey(remediation.Target)}' lists no runbook '{runbookId}'");
            }

            return $"runbook {runbookId} on adapter {RunbookClient.AdapterKey(remediation.Target)} (request id {actionId}); the adapter contract has no dry run: its runbook list was checked\n";
        }

        var api = Api(remediation.Target.Cluster);
        var plan = await ActionPlanner.PlanAsync(api, remediation, actionId, time.GetUtcNow(), cancellationToken);
        var after = await api.WriteAsync(plan.Write, dryRun: true, cancellationToken);
        return ObjectDiff.Unified(plan.Label, plan.Before, plan.Write is KubeDelete ? null : after);
    }

    private async Task ExecuteAsync(ActionState state, CancellationToken cancellationToken)
    {
        var remediation = state.Remediation!;
        using var activity = ExecutorTelemetry.Source.StartActivity($"execute {remediation.Action}");
        activity?.SetTag("chasi.action.id", state.ActionId);
        var approver = state.Actor;
        state = await StepAsync(state, ActionPhase.Executing, Actor, $"executing {remediation.Action} on {Describe(remediation.Target)}", cancellationToken: cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var after = incidents.TryGetValue(state.IncidentId, out var incident) ? Math.Max(incident.Revision, state.IncidentRevision) : state.IncidentRevision;
        try
        {
            var (output, diff, rollback) = remediation.Action == RemediationCatalog.ExecuteRunbook
                ? await RunRunbookAsync(state, cancellationToken)
                : await WriteWithRetryAsync(state, (api, ct) => ActionPlanner.PlanAsync(api, remediation, state.ActionId, time.GetUtcNow(), ct), cancellationToken);
            Measure(remediation.Action, "execute", "succeeded", started);
            state = await StepAsync(state, ActionPhase.Succeeded, Actor, output, record =>
            {
                record.Diff = diff;
                record.Output = output;
                record.RollbackState = rollback;
                record.VerifyAfterRevision = after;
            }, cancellationToken);
            verifying[state.ActionId] = (after, (state.SucceededAt ?? time.GetUtcNow()) + options.VerificationWindow);
            await EventAsync(state, "ChasiActionSucceeded", EventTypeNormal, $"chasi action {state.ActionId} ({remediation.Action}) succeeded, approved by {approver}: {output}", cancellationToken);
        }
        catch (Exception e) when (IsActionFailure(e))
        {
            Measure(remediation.Action, "execute", "failed", started);
            state = await FailAsync(state, e.Message, cancellationToken);
            await EventAsync(state, "ChasiActionFailed", EventTypeWarning, $"chasi action {state.ActionId} ({remediation.Action}) failed: {e.Message}", cancellationToken);
        }
    }

    private async Task RollbackAsync(ActionState state, CancellationToken cancellationToken)
    {
        var remediation = state.Remediation!;
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (state.RollbackState.Length == 0)
            {
                throw new ActionFailedException("the action recorded no rollback state");
            }

            var (output, diff, _) = await WriteWithRetryAsync(state, (api, ct) => ActionPlanner.PlanRollbackAsync(api, state.RollbackState, ct), cancellationToken);
            Measure(remediation.Action, "rollback", "succeeded", started);
            state = await StepAsync(state, ActionPhase.RolledBack, Actor, $"rolled back: {output}", record => record.Diff = diff, cancellationToken);
            await EventAsync(state, "ChasiActionRolledBack", EventTypeNormal, $"chasi action {state.ActionId} ({remediation.Action}) rolled back by {Actor}: {output}", cancellationToken);
        }
        catch (Exception e) when (IsActionFailure(e))
        {
            Measure(remediation.Action, "rollback", "failed", started);
            state = await FailAsync(state, $"rollback failed: {e.Message}", cancellationToken);
            await EventAsync(state, "ChasiRollbackFailed", EventTypeWarning, $"chasi action {state.ActionId} ({remediation.Action}) could not be rolled back: {e.Message}", cancellationToken);
        }
    }

    /// <summary>Plans from a fresh read, dry-runs and writes; a 409 (the object moved) is re-read, re-planned and retried once.</summary>
    private async Task<(string Output, string Diff, string Rollback)> WriteWithRetryAsync(ActionState state, Func<KubeApi, CancellationToken, Task<ActionPlan>> planner, CancellationToken cancellationToken)
    {
        var api = Api(state.Remediation!.Target.Cluster);
        for (var attempt = 1; ; attempt++)
        {
            var plan = await planner(api, cancellationToken);
            try
            {
                await api.WriteAsync(plan.Write, dryRun: true, cancellationToken);
                var answer = await api.WriteAsync(plan.Write, dryRun: false, cancellationToken);
                var rollback = plan.RollbackState?.Invoke(answer)?.ToJsonString() ?? "";
                var diff = ObjectDiff.Unified(plan.Label, plan.Before, plan.Write is KubeDelete ? null : answer);
                var output = plan.Write switch
                {
                    KubeDelete => $"deleted {plan.Write.Target}",
                    KubeCreate => $"created {plan.Write.Target}",
                    _ => $"patched {plan.Label}",
                };
                return (output, diff, rollback);
            }
            catch (KubeApiException e) when (e.IsConflict && attempt == 1)
            {
                ExecutorTelemetry.ConflictCounter.Add(1, new KeyValuePair<string, object?>("action", state.Remediation.Action));
                logger.Conflict(state.ActionId, plan.Label);
            }
        }
    }

    private async Task<(string Output, string Diff, string Rollback)> RunRunbookAsync(ActionState state, CancellationToken cancellationToken)
    {
        var remediation = state.Remediation!;
        var runbookId = remediation.Parameters["runbook"];
        var response = await runbooks.ExecuteAsync(remediation.Target, runbookId, state.ActionId, cancellationToken);
        var outputs = string.Join(", ", response.Outputs.OrderBy(o => o.Key, StringComparer.Ordinal)
            .Select(o => $"{o.Key}={(SecretRedaction.IsSecretName(o.Key) ? SecretRedaction.Redacted : o.Value)}"));
        var text = $"runbook {runbookId}: {response.Outcome}{(response.Message.Length > 0 ? ": " + response.Message : "")}{(outputs.Length > 0 ? $" ({outputs})" : "")}";
        return response.Outcome == RunbookOutcome.Succeeded ? (text, "", "") : throw new ActionFailedException(text);
    }

    private KubeApi Api(string cluster) => new(clusters.For(cluster), Component);

    private async Task EventAsync(ActionState state, string reason, string type, string message, CancellationToken cancellationToken)
    {
        var target = state.Remediation!.Target;
        if (target.Layer == Layer.Business || !clusters.Knows(target.Cluster))
        {
            return; // A business adapter is no Kubernetes object; without credentials there is nowhere to write.
        }

        var now = time.GetUtcNow().UtcDateTime;
        var reference = ActionPlanner.Target(target);
        var kubeEvent = new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = $"{target.Name}.{state.ActionId[4..20]}.{state.Sequence}", NamespaceProperty = target.Namespace.Length > 0 ? target.Namespace : "default" },
            InvolvedObject = new V1ObjectReference { ApiVersion = reference.ApiVersion, Kind = target.Kind, NamespaceProperty = target.Namespace.Length > 0 ? target.Namespace : null, Name = target.Name, Uid = target.Uid.Length > 0 ? target.Uid : null },
            Reason = reason,
            Message = message.Length > 1024 ? message[..1024] : message,
            Type = type,
            Action = state.Remediation.Action,
            Source = new V1EventSource { Component = Component },
            ReportingComponent = Component,
            ReportingInstance = options.Instance,
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };
        try
        {
            await Api(target.Cluster).CreateEventAsync(kubeEvent, cancellationToken);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException)
        {
            // The action's outcome is in its audit record; the Event is a courtesy to kubectl users. Counted and logged.
            ExecutorTelemetry.EventFailureCounter.Add(1);
            logger.EventFailed(reason, Describe(target), state.ActionId, e);
        }
    }

    private Task<ActionState> FailAsync(ActionState state, string reason, CancellationToken cancellationToken)
    {
        verifying.Remove(state.ActionId);
        return StepAsync(state, ActionPhase.Failed, Actor, reason, record => record.Output = reason, cancellationToken);
    }

    /// <summary>
    /// Drops settled actions and resolved incidents whose last change is older than <see cref="ExecutorOptions.Retention"/>
    /// (an incident only when no action of it is still in flight), so memory follows the recent past, not all of it.
    /// Called under the gate.
    /// </summary>
    private void Evict(DateTimeOffset now)
    {
        lastEviction = now;
        var cutoff = now - options.Retention;
        int actions;
        HashSet<string> busyIncidents;
        lock (ledger)
        {
            var expired = ledger.Values
                .Where(s => s.IsFinal && s.Requests.Count == 0 && (s.UpdatedAt ?? s.ProposedAt) is { } changed && changed < cutoff)
                .Select(s => s.ActionId)
                .ToList();
            foreach (var actionId in expired)
            {
                ledger.Remove(actionId);
            }

            actions = expired.Count;
            busyIncidents = ledger.Values.Where(s => s.InFlight).Select(s => s.IncidentId).ToHashSet(StringComparer.Ordinal);
        }

        var resolved = incidents.Values.Where(i => IsExpired(i, now) && !busyIncidents.Contains(i.Id)).Select(i => i.Id).ToList();
        foreach (var id in resolved)
        {
            incidents.Remove(id);
        }

        if (actions > 0 || resolved.Count > 0)
        {
            logger.Evicted(actions, resolved.Count, options.Retention, Actions.Count, incidents.Count);
        }
    }

    private bool IsExpired(IncidentView incident, DateTimeOffset now) =>
        incident.State == IncidentState.Resolved && incident.UpdatedAt < now - options.Retention;

    /// <summary>Writes the action's next record and applies it to the ledger once the sink accepted it.</summary>
    private async Task<ActionState> StepAsync(ActionState state, ActionPhase phase, string actor, string reason, Action<ActionRecord>? fill = null, CancellationToken cancellationToken = default)
    {
        var record = new ActionRecord
        {
            ActionId = state.ActionId,
            IncidentId = state.IncidentId,
            Tenant = state.Tenant,
            Phase = phase,
            Remediation = state.Remediation?.Clone(),
            Actor = actor,
            Reason = reason,
            At = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
            IdempotencyKey = state.IdempotencyKey,
            IncidentRevision = state.IncidentRevision,
            Sequence = state.Sequence + 1,
        };
        fill?.Invoke(record);
        await audit.PublishAsync(record, cancellationToken);
        ActionState next;
        lock (ledger)
        {
            next = ActionTransitions.Apply(state, record);
            ledger[state.ActionId] = next;
        }

        var action = state.Remediation?.Action ?? "";
        ExecutorTelemetry.RecordCounter.Add(1, new KeyValuePair<string, object?>("phase", ActionTransitions.Name(phase)), new KeyValuePair<string, object?>("action", action));
        logger.ActionPhase(state.ActionId, action, state.Remediation?.Target is { } t ? Describe(t) : "", ActionTransitions.Name(phase), reason);
        return next;
    }

    /// <summary>A copy whose secret-looking parameter values are redacted (what goes into records and logs).</summary>
    private static Remediation Sanitized(Remediation proposal)
    {
        // The catalog's parameters are replicas, key, value and runbook: only a value written under a secret-looking
        // key is secret (such a proposal is denied, and its value must not reach the record that says so).
        var copy = proposal.Clone();
        if (copy.Parameters.TryGetValue("key", out var key) && SecretRedaction.IsSecretName(key) && copy.Parameters.ContainsKey("value"))
        {
            copy.Parameters["value"] = SecretRedaction.Redacted;
        }

        return copy;
    }

    private static bool IsActionFailure(Exception e) =>
        e is ActionFailedException or KubeApiException or ClusterCredentialsException or HttpRequestException or NotSupportedException or FormatException;

    private static string PolicyActor(string rule) => $"policy:{(rule.Length > 0 ? rule : "default")}";

    private static string Describe(ObjectRef target) => $"{target.Cluster}/{target.Kind}/{(target.Namespace.Length > 0 ? target.Namespace + "/" : "")}{target.Name}";

    private static void Measure(string action, string operation, string outcome, long started) =>
        ExecutorTelemetry.DurationHistogram.Record(
            Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("action", action),
            new KeyValuePair<string, object?>("operation", operation),
            new KeyValuePair<string, object?>("outcome", outcome));

    private const string EventTypeNormal = "Normal";
    private const string EventTypeWarning = "Warning";

    public void Dispose()
    {
        gate.Dispose();
        ownedHttp?.Dispose();
    }
}
