namespace ChasiSre.Api;

/// <summary>The latest diagnosis of an incident.</summary>
/// <param name="IncidentRevision">The incident revision the diagnosis explains.</param>
/// <param name="Engine"><c>rules</c>, <c>llamasharp:&lt;model&gt;</c>, <c>openai:&lt;model&gt;</c>, …</param>
/// <param name="Confidence">0..1.</param>
public sealed record DiagnosisView(
    string IncidentId,
    long IncidentRevision,
    string Tenant,
    string RootCause,
    string Explanation,
    double Confidence,
    string Engine,
    string Layer,
    string Category,
    DateTimeOffset? DiagnosedAt,
    int LlmCalls,
    IReadOnlyList<CitationView> Citations,
    IReadOnlyList<EvidenceView> Evidence,
    IReadOnlyList<RemediationView> Remediations);
