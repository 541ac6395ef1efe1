using ChasiSre.Schemas.V1;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Diagnosis.Knowledge.Sources.Tests;

/// <summary>Incidents and diagnoses shaped like the correlator's and the diagnosis engine's, at recent times (inside the tables' TTLs).</summary>
internal static class Records
{
    public static readonly DateTimeOffset Opened = TruncateToMinute(TimeProvider.System.GetUtcNow().AddHours(-3));

    public static ObjectRef Pod(string tenant, string name, string @namespace = "payments") => new()
    {
        Cluster = $"vc-{tenant}",
        Tenant = tenant,
        Layer = Layer.Virtual,
        ApiVersion = "v1",
        Kind = "Pod",
        Namespace = @namespace,
        Name = name,
        Uid = $"uid-{name}",
        HostCluster = "host-1",
        HostNamespace = $"vcluster-{tenant}",
    };

    public static ObjectRef Node(string name) => new() { Cluster = "host-1", HostCluster = "host-1", Layer = Layer.Host, ApiVersion = "v1", Kind = "Node", Name = name, Uid = $"uid-{name}" };

    public static Signal Signal(string id, ObjectRef subject, string detector, string reason, string message) => new()
    {
        Id = id,
        Detector = detector,
        Subject = subject,
        Severity = Severity.Error,
        Reason = reason,
        Message = message,
        FirstSeen = Timestamp.FromDateTimeOffset(Opened),
        LastSeen = Timestamp.FromDateTimeOffset(Opened.AddMinutes(5)),
        Score = 1,
        Active = true,
    };

    public static Incident Incident(string id, ObjectRef subject, string category, string summary, long revision, TimeSpan? resolvedAfter, params Signal[] signals)
    {
        var incident = new Incident
        {
            Id = id,
            Tenant = subject.Tenant,
            Title = summary,
            Summary = summary,
            Severity = Severity.Error,
            State = resolvedAfter is null ? IncidentState.Open : IncidentState.Resolved,
            Subject = subject,
            OpenedAt = Timestamp.FromDateTimeOffset(Opened),
            UpdatedAt = Timestamp.FromDateTimeOffset(Opened.AddMinutes(revision)),
            Revision = revision,
            Fingerprint = $"fp-{id}",
            SignalCount = signals.Length,
            Category = category,
            Layer = subject.Layer,
        };
        if (resolvedAfter is { } after)
        {
            incident.ResolvedAt = Timestamp.FromDateTimeOffset(Opened + after);
        }

        if (subject.Tenant.Length > 0)
        {
            incident.Tenants.Add(subject.Tenant);
        }

        incident.Affected.Add(subject);
        incident.Signals.Add(signals);
        return incident;
    }

    public static Schemas.V1.Diagnosis Diagnosis(Incident incident, long revision, string rootCause, string[] evidence, string[] remediation, params string[] citations)
    {
        var diagnosis = new Schemas.V1.Diagnosis
        {
            IncidentId = incident.Id,
            IncidentRevision = revision,
            Tenant = incident.Tenant,
            RootCause = rootCause,
            Explanation = string.Join('\n', evidence),
            Confidence = 0.8,
            Engine = "rules",
            DiagnosedAt = Timestamp.FromDateTimeOffset(Opened.AddMinutes(revision + 1)),
            Layer = incident.Layer,
            Category = incident.Category,
        };
        var step = 0;
        foreach (var text in remediation)
        {
            diagnosis.Remediations.Add(new Remediation { Id = $"step-{++step}", Title = text });
        }

        foreach (var citation in citations)
        {
            diagnosis.Citations.Add(new Citation { DocumentId = citation.Split('#')[0], ChunkId = citation });
        }

        return diagnosis;
    }

    /// <summary>A payments pod of team-a crash-looping on a bad DATABASE_URL, resolved after 1 h 12 min.</summary>
    public static Incident CrashLoop(string id, string tenant = "team-a", long revision = 3, TimeSpan? resolvedAfter = null)
    {
        var pod = Pod(tenant, "payments-api-7c9d-x2k4");
        return Incident(
            id,
            pod,
            "CrashLoop",
            "payments-api-7c9d-x2k4 restarts: back-off restarting failed container api",
            revision,
            resolvedAfter ?? new TimeSpan(1, 12, 0),
            Signal($"{id}-s1", pod, "pod.crashloop", "BackOff", "Back-off restarting failed container api in pod payments-api-7c9d-x2k4: DATABASE_URL points at postgres-old.payments.svc which refuses connections"));
    }

    private static DateTimeOffset TruncateToMinute(DateTimeOffset at) => new(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, TimeSpan.Zero);
}
