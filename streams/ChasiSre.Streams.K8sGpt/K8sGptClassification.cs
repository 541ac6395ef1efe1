using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;

namespace ChasiSre.Streams.K8sGpt;

/// <summary>How a k8sgpt result reads in ChasiSre's terms.</summary>
/// <param name="Kind">The subject's canonical kind (<c>HorizontalPodAutoScaler</c> becomes <c>HorizontalPodAutoscaler</c>, <c>Log</c> becomes <c>Pod</c>).</param>
/// <param name="ApiVersion">The subject's apiVersion when the kind is a known built-in one, else empty.</param>
/// <param name="Category">Incident category.</param>
/// <param name="Reason">Short machine-friendly reason (<c>CrashLoopBackOff</c>, <c>NoEndpoints</c>, <c>DeploymentProblem</c>).</param>
/// <param name="Severity">How bad.</param>
public sealed record K8sGptClassification(string Kind, string ApiVersion, IncidentCategory Category, string Reason, Severity Severity);
