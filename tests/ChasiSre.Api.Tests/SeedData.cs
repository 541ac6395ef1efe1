using ChasiSre.Schemas.V1;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Api.Tests;

/// <summary>
/// The incidents and diagnoses every read test sees: two of tenant team-a (one at two revisions), one of team-b, a
/// host incident affecting both tenants, and a platform incident affecting none.
/// </summary>
internal static class SeedData
{
    public const string A1 = "inc-a1crashloop";
    public const string A2 = "inc-a2oomkilled";
    public const string B1 = "inc-b1imagepull";
    public const string H1 = "inc-h1nodefailure";
    public const string P1 = "inc-p1storage";

    /// <summary>Incident ids newest opened first, as the list returns them.</summary>
    public static readonly string[] NewestFirst = [P1, H1, A2, B1, A1];

    public static IReadOnlyList<Incident> Incidents(DateTimeOffset t0) =>
    [
        Incident(A1, 1, "team-a", [], "first revision", "CrashLoop", Layer.Virtual, Severity.Warning, IncidentState.Open, Virtual("team-a", "vc-a", "apps/v1", "Deployment", "shop", "web"), t0, []),
        Incident(A1, 2, "team-a", [], "web crashloops", "CrashLoop", Layer.Virtual, Severity.Critical, IncidentState.Open, Virtual("team-a", "vc-a", "apps/v1", "Deployment", "shop", "web"), t0, []),
        Incident(A2, 1, "team-a", [], "worker OOMKilled", "OOMKilled", Layer.Virtual, Severity.Error, IncidentState.Resolved, Virtual("team-a", "vc-a", "v1", "Pod", "jobs", "worker-0"), t0.AddMinutes(10), []),
        Incident(B1, 1, "team-b", [], "api image cannot be pulled", "ImagePull", Layer.Virtual, Severity.Error, IncidentState.Open, Virtual("team-b", "vc-b", "v1", "Pod", "default", "api-0"), t0.AddMinutes(5), []),
        Incident(H1, 1, "", ["team-a", "team-b"], "node-1 not ready", "NodeFailure", Layer.Host, Severity.Critical, IncidentState.Open, Host("", "v1", "Node", "", "node-1"), t0.AddMinutes(20),
            [Virtual("team-a", "vc-a", "v1", "Pod", "shop", "web-1"), Virtual("team-b", "vc-b", "v1", "Pod", "default", "api-0"), Host("", "v1", "Node", "", "node-1")]),
        Incident(P1, 1, "", [], "etcd volume filling up", "Storage", Layer.Host, Severity.Warning, IncidentState.Open, Host("", "v1", "PersistentVolumeClaim", "kube-system", "etcd-data"), t0.AddMinutes(30), []),
    ];

    public static IReadOnlyList<Schemas.V1.Diagnosis> Diagnoses(DateTimeOffset t0) =>
    [
        Diagnosis(A1, 1, "team-a", "an old guess", t0.AddMinutes(1), []),
        Diagnosis(A1, 2, "team-a", "the web container exits on a missing env var", t0.AddMinutes(2),
        [
            new Remediation { Id = "step-1", Title = "Set DATABASE_URL in the Deployment" },
            Action("action-1", "rollout-restart", Virtual("team-a", "vc-a", "apps/v1", "Deployment", "shop", "web"), Risk.Medium),
        ]),
        Diagnosis(B1, 1, "team-b", "the image tag does not exist", t0.AddMinutes(6),
        [
            Action("action-1", "delete-pod", Virtual("team-b", "vc-b", "v1", "Pod", "default", "api-0"), Risk.Low),
        ]),
        Diagnosis(H1, 1, "", "the kubelet on node-1 stopped", t0.AddMinutes(21),
        [
            Action("action-1", "cordon-node", Host("", "v1", "Node", "", "node-1"), Risk.High),
            Action("action-2", "delete-pod", Virtual("team-b", "vc-b", "v1", "Pod", "default", "api-0"), Risk.Low),
        ]),
    ];

    /// <summary>Pending actions of team-a, one per test that decides on it (decisions are published, never stored here).</summary>
    public const string ApproveMe = "act-a1-approve";
    public const string RejectMe = "act-a1-reject";
    public const string ApproveTwice = "act-a1-twice";
    public const string ApproveThenReject = "act-a1-race";

    /// <summary>team-a's reversible action (scale) that ran and was verified, with a rollback state.</summary>
    public const string Verified = "act-a2-verified";

    /// <summary>team-a's irreversible action (delete-pod) that succeeded.</summary>
    public const string Irreversible = "act-a2-irreversible";

    /// <summary>team-a's reversible action (scale) whose verification window closed: the executor rolls it back by itself.</summary>
    public const string NotVerified = "act-a2-notverified";

    /// <summary>team-a's action approved by <see cref="Approver"/>'s request, which the executor answered and executed.</summary>
    public const string Answered = "act-a1-answered";

    /// <summary>team-a's pending action with <see cref="Approver"/>'s approval request the executor has not answered yet.</summary>
    public const string Requested = "act-a1-requested";

    /// <summary>A request for an action the executor never wrote a step of: no action.</summary>
    public const string RequestOnly = "act-a1-ghost";

    /// <summary>The person of the seeded requests (the API test token named approver-a).</summary>
    public const string Approver = "user:approver-a";

    /// <summary>team-b's pending action.</summary>
    public const string TeamBPending = "act-b1-pending";

    /// <summary>A platform action (no tenant) pending on the node incident, which affects team-a and team-b.</summary>
    public const string PlatformPending = "act-h1-cordon";

    /// <summary>Every seeded action, newest created first (as the list returns them).</summary>
    public static readonly string[] ActionsNewestFirst =
        [PlatformPending, NotVerified, Requested, Answered, TeamBPending, Irreversible, Verified, ApproveThenReject, ApproveTwice, RejectMe, ApproveMe];

    public const string Diff = "--- live\n+++ dry-run\n@@ spec.template.metadata.annotations @@\n+  kubectl.kubernetes.io/restartedAt: \"2026-03-01T10:00:00Z\"\n";

    /// <summary>
    /// The action records as the executor's protocol has them: steps the executor writes (sequence 1, 2, ...: proposed,
    /// the policy's answer, further steps) and people's requests (sequence 0, as <c>ActionDecisions.Request</c> builds
    /// them), each answered by an executor step whose actor is the requester.
    /// </summary>
    public static IReadOnlyList<ActionRecord> Actions(DateTimeOffset t0)
    {
        var restart = Action("action-1", "rollout-restart", Virtual("team-a", "vc-a", "apps/v1", "Deployment", "shop", "web"), Risk.Medium);
        var records = new List<ActionRecord>();
        foreach (var (id, n) in new[] { ApproveMe, RejectMe, ApproveTwice, ApproveThenReject }.Select((id, n) => (id, n)))
        {
            records.AddRange(Trail(id, A1, 2, "team-a", restart, t0.AddMinutes(3 + n), ActionPhase.Proposed, ActionPhase.PendingApproval));
        }

        var scale = Action("action-1", "scale", Virtual("team-a", "vc-a", "apps/v1", "Deployment", "jobs", "worker"), Risk.Low);
        var deletePod = Action("action-2", "delete-pod", Virtual("team-a", "vc-a", "v1", "Pod", "jobs", "worker-0"), Risk.Low);
        records.AddRange(Trail(Verified, A2, 1, "team-a", scale, t0.AddMinutes(11), ActionPhase.Proposed, ActionPhase.Approved, ActionPhase.Executing, ActionPhase.Succeeded, ActionPhase.Verified));
        records.AddRange(Trail(Irreversible, A2, 1, "team-a", deletePod, t0.AddMinutes(12), ActionPhase.Proposed, ActionPhase.Approved, ActionPhase.Executing, ActionPhase.Succeeded));
        records.Single(r => r.ActionId == Irreversible && r.Phase == ActionPhase.Succeeded).RollbackState = "";
        records.AddRange(Trail(TeamBPending, B1, 1, "team-b", Action("action-1", "delete-pod", Virtual("team-b", "vc-b", "v1", "Pod", "default", "api-0"), Risk.Low), t0.AddMinutes(13), ActionPhase.Proposed, ActionPhase.PendingApproval));

        // Approved by a person: the request (sequence 0), then the executor's answer (actor the requester) and its steps.
        var answered = Trail(Answered, A1, 2, "team-a", restart, t0.AddMinutes(14), ActionPhase.Proposed, ActionPhase.PendingApproval, ActionPhase.Approved, ActionPhase.Executing, ActionPhase.Succeeded).ToList();
        answered[2] = new ActionRecord(answered[2]) { Actor = Approver, Reason = "diff checked", Decision = "", PolicyRule = "", Diff = "", DryRun = false };
        answered[2].Reasons.Clear();
        records.AddRange(answered);
        records.Add(Request(Answered, ActionPhase.Approved, Approver, "diff checked", t0.AddMinutes(14).AddSeconds(15)));

        records.AddRange(Trail(Requested, A1, 2, "team-a", restart, t0.AddMinutes(15), ActionPhase.Proposed, ActionPhase.PendingApproval));
        records.Add(Request(Requested, ActionPhase.Approved, Approver, "waiting for the executor", t0.AddMinutes(15).AddSeconds(30)));

        records.AddRange(Trail(NotVerified, A2, 1, "team-a", scale, t0.AddMinutes(16), ActionPhase.Proposed, ActionPhase.Approved, ActionPhase.Executing, ActionPhase.Succeeded, ActionPhase.NotVerified));
        records.Add(Request(RequestOnly, ActionPhase.Approved, Approver, "", t0.AddMinutes(17)));
        records.AddRange(Trail(PlatformPending, H1, 1, "", Action("action-1", "cordon-node", Host("", "v1", "Node", "", "node-1"), Risk.High), t0.AddMinutes(22), ActionPhase.Proposed, ActionPhase.PendingApproval));
        return records;
    }

    /// <summary>A person's request as <c>ActionDecisions.Request</c> builds it: action id, phase, actor, reason, time, sequence 0, nothing else.</summary>
    public static ActionRecord Request(string actionId, ActionPhase phase, string actor, string reason, DateTimeOffset at) =>
        new() { ActionId = actionId, Phase = phase, Actor = actor, Reason = reason, At = Timestamp.FromDateTimeOffset(at), Sequence = 0 };

    private static IEnumerable<ActionRecord> Trail(string id, string incidentId, long revision, string tenant, Remediation remediation, DateTimeOffset at, params ActionPhase[] phases)
    {
        for (var i = 0; i < phases.Length; i++)
        {
            var phase = phases[i];
            var record = new ActionRecord
            {
                ActionId = id,
                IncidentId = incidentId,
                Tenant = tenant,
                Phase = phase,
                Actor = phase == ActionPhase.PendingApproval ? "policy:restarts-need-approval" : phase == ActionPhase.Approved ? "policy:pods-auto" : "executor",
                At = Timestamp.FromDateTimeOffset(at.AddSeconds(i * 10)),
                IdempotencyKey = $"{incidentId}@{revision}/{remediation.Id}",
                IncidentRevision = revision,
                Sequence = i + 1,
                DryRun = phase is ActionPhase.PendingApproval or ActionPhase.Approved,
            };

            // The executor's records leave the remediation out after the first step; the API finds it in the trail.
            if (i == 0)
            {
                record.Remediation = remediation;
            }

            if (phase is ActionPhase.PendingApproval or ActionPhase.Approved)
            {
                record.Decision = phase == ActionPhase.PendingApproval ? "approval" : "auto";
                record.PolicyRule = phase == ActionPhase.PendingApproval ? "restarts-need-approval" : "pods-auto";
                record.Reasons.Add($"rule {record.PolicyRule} matched {remediation.Action}");
                record.Diff = Diff;
            }

            if (phase == ActionPhase.Succeeded)
            {
                record.RollbackState = "{\"previous\":\"worker-0\"}";
                record.Output = $"{remediation.Action} done";
            }

            yield return record;
        }
    }

    public static ObjectRef Virtual(string tenant, string cluster, string apiVersion, string kind, string @namespace, string name) => new()
    {
        Cluster = cluster,
        Tenant = tenant,
        Layer = Layer.Virtual,
        ApiVersion = apiVersion,
        Kind = kind,
        Namespace = @namespace,
        Name = name,
        Uid = $"uid-{cluster}-{name}",
        HostCluster = "host-1",
        HostNamespace = $"{cluster}-ns",
    };

    public static ObjectRef Host(string tenant, string apiVersion, string kind, string @namespace, string name) => new()
    {
        Cluster = "host-1",
        Tenant = tenant,
        Layer = Layer.Host,
        ApiVersion = apiVersion,
        Kind = kind,
        Namespace = @namespace,
        Name = name,
        Uid = $"uid-host-{name}",
        HostCluster = "host-1",
    };

    private static Incident Incident(
        string id, long revision, string tenant, string[] tenants, string title, string category, Layer layer, Severity severity, IncidentState state,
        ObjectRef subject, DateTimeOffset openedAt, ObjectRef[] affected)
    {
        var incident = new Incident
        {
            Id = id,
            Tenant = tenant,
            Title = title,
            Summary = $"{title} (revision {revision})",
            Severity = severity,
            State = state,
            Subject = subject,
            OpenedAt = Timestamp.FromDateTimeOffset(openedAt),
            UpdatedAt = Timestamp.FromDateTimeOffset(openedAt.AddMinutes(revision)),
            ResolvedAt = state == IncidentState.Resolved ? Timestamp.FromDateTimeOffset(openedAt.AddMinutes(3)) : null,
            Revision = revision,
            Fingerprint = $"fp-{id}",
            SignalCount = affected.Length + 1,
            Category = category,
            Layer = layer,
        };
        incident.Tenants.AddRange(tenants.Length > 0 ? tenants : tenant.Length > 0 ? [tenant] : []);
        incident.Affected.AddRange(affected.Length > 0 ? affected : [subject]);
        foreach (var (target, n) in (affected.Length > 0 ? affected : [subject]).Select((a, n) => (a, n)))
        {
            incident.Signals.Add(new Signal
            {
                Id = $"sig-{id}-{n}",
                Detector = "test.detector",
                Subject = target,
                Severity = severity,
                Reason = category,
                Message = $"{category} on {target.Name}",
                FirstSeen = Timestamp.FromDateTimeOffset(openedAt),
                LastSeen = Timestamp.FromDateTimeOffset(openedAt.AddMinutes(1)),
                Score = 1,
                Active = state == IncidentState.Open,
                Category = category,
            });
        }

        return incident;
    }

    private static Schemas.V1.Diagnosis Diagnosis(string incidentId, long revision, string tenant, string rootCause, DateTimeOffset at, Remediation[] remediations)
    {
        var diagnosis = new Schemas.V1.Diagnosis
        {
            IncidentId = incidentId,
            IncidentRevision = revision,
            Tenant = tenant,
            RootCause = rootCause,
            Explanation = $"because: {rootCause}",
            Confidence = 0.8,
            Engine = "rules",
            DiagnosedAt = Timestamp.FromDateTimeOffset(at),
            Layer = Layer.Virtual,
            Category = "CrashLoop",
        };
        diagnosis.Citations.Add(new Citation { DocumentId = "runbooks/crashloop-backoff.md", Title = "CrashLoopBackOff", ChunkId = "runbooks/crashloop-backoff.md#confirm", Score = 0.5 });
        diagnosis.Evidence.Add(new EvidenceRef { Topic = "chasi.k8s.events.v1", Key = "k", RecordId = $"event-{incidentId}", Summary = "Event BackOff x12" });
        diagnosis.Remediations.AddRange(remediations);
        return diagnosis;
    }

    private static Remediation Action(string id, string action, ObjectRef target, Risk risk)
    {
        var remediation = new Remediation { Id = id, Title = $"{action} {target.Name}", Description = "proposed by the rules", Action = action, Target = target, Risk = risk };
        if (action == "rollout-restart")
        {
            remediation.Parameters["reason"] = "pick up the fixed env";
        }

        return remediation;
    }
}
