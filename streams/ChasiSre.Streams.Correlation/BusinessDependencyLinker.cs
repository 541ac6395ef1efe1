using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;

namespace ChasiSre.Streams.Correlation;

/// <summary>
/// Links a business degradation to the Kubernetes incident that explains it: when a
/// <see cref="IncidentCategory.BusinessDegradation"/> finding without a cause lists, among its <see cref="Finding.Related"/>
/// objects (the adapter status' <c>depends_on</c>), one whose workload is the subject or an affected object of an open
/// incident, the finding gets that incident's subject as its <see cref="Finding.Cause"/>. The correlator then roots it
/// there: the orders adapter's degradation becomes a signal (and the adapter an affected object) of the CrashLoop incident
/// of <c>orders-api</c>, instead of a second incident. Without such an incident the finding is returned unchanged and
/// opens its own BusinessDegradation incident on the business layer. Pure.
/// </summary>
public static class BusinessDependencyLinker
{
    /// <summary>The finding, with a cause when a dependency of it is in trouble; the same instance otherwise.</summary>
    /// <param name="finding">Any finding; only causeless business degradations with related objects are linked.</param>
    /// <param name="incidents">Incidents as last published (e.g. <see cref="IncidentCorrelator.Incidents"/>); only open ones count.</param>
    /// <param name="state">The cluster state, to resolve each dependency's workload.</param>
    public static Finding Link(Finding finding, IEnumerable<Incident> incidents, IClusterState state)
    {
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(incidents);
        ArgumentNullException.ThrowIfNull(state);
        if (finding.Category != IncidentCategory.BusinessDegradation || finding.Cause is not null || finding.Related.Count == 0)
        {
            return finding;
        }

        var workloads = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dependency in finding.Related)
        {
            // depends_on names the object as the adapter sees it (cluster, kind, namespace, name): take the state's reference.
            var known = state.Find(dependency.Cluster, dependency.Kind, dependency.Namespace.Length > 0 ? dependency.Namespace : null, dependency.Name)?.Ref ?? dependency;
            workloads.Add(RecordKeys.ForObject(known));
            workloads.Add(RecordKeys.ForObject(RootCauseResolver.OwningWorkload(known, state)));
        }

        var cause = incidents
            .Where(i => i.State == IncidentState.Open && i.Subject is not null
                && i.Category is not (nameof(IncidentCategory.BusinessDegradation) or nameof(IncidentCategory.MetricAnomaly))
                && (workloads.Contains(RecordKeys.ForObject(i.Subject)) || i.Affected.Any(a => workloads.Contains(RecordKeys.ForObject(a)))))
            .OrderBy(i => Enum.TryParse<IncidentCategory>(i.Category, out var category) ? CategoryPrecedence.Rank(category) : int.MaxValue)
            .ThenBy(i => i.Id, StringComparer.Ordinal)
            .FirstOrDefault();
        return cause is null ? finding : finding with { Cause = cause.Subject.Clone() };
    }
}
