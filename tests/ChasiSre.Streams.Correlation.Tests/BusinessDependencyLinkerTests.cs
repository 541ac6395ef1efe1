using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;

namespace ChasiSre.Streams.Correlation.Tests;

public sealed class BusinessDependencyLinkerTests
{
    private static Finding Degraded(params ObjectRef[] dependsOn) =>
        Fleet.Finding(Fleet.Adapter("team-a", "orders"), IncidentCategory.BusinessDegradation, detector: "business.health") with
        {
            Related = dependsOn,
        };

    // As the SDK writes depends_on: cluster, tenant, kind, namespace, name; no layer, no host fields.
    private static ObjectRef DependsOn(string kind, string ns, string name) => new()
    {
        Cluster = "team-a",
        Tenant = "team-a",
        ApiVersion = "apps/v1",
        Kind = kind,
        Namespace = ns,
        Name = name,
    };

    [Fact]
    public void Link_DependencyCrashLoops_BusinessSignalJoinsTheCrashLoopIncident()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var api = state.AddDeployment("team-a", "shop", "orders-api", 2);
        var correlator = new IncidentCorrelator(new CorrelationOptions());
        correlator.Evaluate(api.Pods[0], [Fleet.Finding(api.Pods[0], IncidentCategory.CrashLoop)], state);

        var linked = BusinessDependencyLinker.Link(Degraded(DependsOn("Deployment", "shop", "orders-api")), correlator.Incidents(), state);
        var changes = correlator.Evaluate("business:team-a/orders", [linked], state.At(Fleet.T0.AddSeconds(10)));

        Assert.Equal(api.Deployment, linked.Cause);
        var incident = Assert.Single(correlator.Incidents());
        Assert.Equal(nameof(IncidentCategory.CrashLoop), incident.Category);
        Assert.Contains(incident.Affected, a => a.Kind == "BusinessAdapter" && a.Name == "orders");
        Assert.Contains(incident.Signals, s => s.Category == nameof(IncidentCategory.BusinessDegradation));
        Assert.All(changes, c => Assert.Equal(incident.Id, c.Incident.Id));
    }

    [Fact]
    public void Link_NoIncidentOnItsDependencies_UnchangedAndOpensABusinessIncident()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        state.AddDeployment("team-a", "shop", "orders-api", 1);
        var other = state.AddDeployment("team-a", "shop", "catalog", 1);
        var correlator = new IncidentCorrelator(new CorrelationOptions());
        correlator.Evaluate(other.Pods[0], [Fleet.Finding(other.Pods[0], IncidentCategory.CrashLoop)], state);
        var finding = Degraded(DependsOn("Deployment", "shop", "orders-api"));

        var linked = BusinessDependencyLinker.Link(finding, correlator.Incidents(), state);
        correlator.Evaluate("business:team-a/orders", [linked], state);

        Assert.Same(finding, linked);
        var business = Assert.Single(correlator.Incidents(), i => i.Category == nameof(IncidentCategory.BusinessDegradation));
        Assert.Equal(Layer.Business, business.Layer);
        Assert.Equal("orders", business.Subject.Name);
    }

    [Fact]
    public void Link_NotABusinessDegradation_ReturnedAsIs()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var api = state.AddDeployment("team-a", "shop", "orders-api", 1);
        var correlator = new IncidentCorrelator(new CorrelationOptions());
        correlator.Evaluate(api.Pods[0], [Fleet.Finding(api.Pods[0], IncidentCategory.CrashLoop)], state);
        var metric = Fleet.Finding(api.Pods[0], IncidentCategory.MetricAnomaly) with { Related = [api.Deployment] };

        Assert.Same(metric, BusinessDependencyLinker.Link(metric, correlator.Incidents(), state));
    }
}
