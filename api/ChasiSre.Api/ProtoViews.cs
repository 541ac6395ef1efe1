using ChasiSre.Schemas.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Api;

/// <summary>Maps stored protobuf records (the sink's <c>payload</c> JSON) to the API's views.</summary>
internal static class ProtoViews
{
    /// <summary>Parses payloads written by a newer pipeline too: fields this build does not know are skipped.</summary>
    public static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    public static string Layer(Layer layer) => layer switch
    {
        Schemas.V1.Layer.Host => "host",
        Schemas.V1.Layer.Virtual => "virtual",
        Schemas.V1.Layer.Business => "business",
        _ => "",
    };

    public static string Severity(Severity severity) => severity == Schemas.V1.Severity.Unspecified ? "" : severity.ToString().ToLowerInvariant();

    public static string Risk(Risk risk) => risk.ToString().ToLowerInvariant();

    public static ObjectRefView? Object(ObjectRef? reference) => reference is null
        ? null
        : new ObjectRefView(
            reference.Cluster, reference.Tenant, Layer(reference.Layer), reference.ApiVersion, reference.Kind, reference.Namespace, reference.Name,
            reference.Uid, reference.HostCluster.Length > 0 ? reference.HostCluster : reference.Layer == Schemas.V1.Layer.Host ? reference.Cluster : "",
            reference.HostNamespace);

    public static DateTimeOffset? Time(Timestamp? at) => at?.ToDateTimeOffset();

    public static SignalView Signal(Signal signal) => new(
        signal.Id, signal.Detector, Object(signal.Subject), Severity(signal.Severity), signal.Reason, signal.Message, signal.Category, signal.Active,
        Time(signal.FirstSeen), Time(signal.LastSeen), signal.Score);

    public static RemediationView Remediation(Remediation remediation) => new(
        remediation.Id, remediation.Title, remediation.Description, remediation.Action, Object(remediation.Target),
        new Dictionary<string, string>(remediation.Parameters, StringComparer.Ordinal), Risk(remediation.Risk));

    /// <summary>The diagnosis; for a scoped caller, remediations aimed at another tenant's objects are left out.</summary>
    public static DiagnosisView Diagnosis(Schemas.V1.Diagnosis diagnosis, TenantScope scope) => new(
        diagnosis.IncidentId,
        diagnosis.IncidentRevision,
        diagnosis.Tenant,
        diagnosis.RootCause,
        diagnosis.Explanation,
        diagnosis.Confidence,
        diagnosis.Engine,
        Layer(diagnosis.Layer),
        diagnosis.Category,
        Time(diagnosis.DiagnosedAt),
        diagnosis.LlmCalls,
        [.. diagnosis.Citations.Select(c => new CitationView(c.DocumentId, c.Title, c.ChunkId, c.Score))],
        [.. diagnosis.Evidence.Select(e => new EvidenceView(e.Topic, e.Key, e.RecordId, e.Summary, Time(e.At)))],
        [.. diagnosis.Remediations.Where(r => Visible(r.Target, scope)).Select(Remediation)]);

    /// <summary>Whether a scoped caller may see an object: its tenant's, or a platform object (no tenant).</summary>
    public static bool Visible(ObjectRef? reference, TenantScope scope) =>
        reference is null || reference.Tenant.Length == 0 || scope.Allows(reference.Tenant);
}
