namespace ChasiSre.Streams.Detection.Tests;

/// <summary>A Sealos-suspended namespace (debt.sealos/status) is intended: the runner judges nothing in it.</summary>
public sealed class TenantSuspensionTests
{
    private const string A = "team-a";
    private const string H = TestClusters.Host;

    [Theory]
    [InlineData("annotations", "Suspend", 0)]
    [InlineData("annotations", "SuspendCompleted", 0)]
    [InlineData("labels", "FinalDeletion", 0)]
    [InlineData("annotations", "Normal", 1)]
    [InlineData("annotations", "ResumeCompleted", 1)]
    [InlineData("annotations", null, 1)]
    public void Run_ServiceWithoutPodsInTenantNamespace_NoFindingOnlyWhileSuspended(string where, string? status, int expected)
    {
        var clusters = new TestClusters(TestClusters.T0, A);
        clusters.Add(H, Namespace("ns-bob", where, status));
        var service = clusters.Add(H, Objects.Service("blog", ns: "ns-bob"))!;
        clusters.Add(H, Objects.Endpoints("blog", ns: "ns-bob"));
        var runner = new DetectorRunner(DetectorCatalog.Incidents());

        var findings = runner.Run(service, clusters.State);

        Assert.Equal(expected, findings.Count);
        Assert.Equal(expected == 0, TenantSuspension.IsSuspended(service.Ref, clusters.State));
    }

    [Fact]
    public void Run_VClusterWhoseHostNamespaceIsSuspended_NoFinding()
    {
        var clusters = new TestClusters(TestClusters.T0, A);
        var service = clusters.Add(A, Objects.Service("web"))!;
        clusters.Add(A, Objects.Endpoints("web"));
        var runner = new DetectorRunner(DetectorCatalog.Incidents());

        var before = runner.Run(service, clusters.State);
        clusters.Add(H, Namespace("vcluster-team-a", "annotations", "Suspend"));
        var after = runner.Run(service, clusters.State);

        Assert.Single(before);
        Assert.Empty(after);
    }

    private static System.Text.Json.Nodes.JsonObject Namespace(string name, string where, string? status) => Objects.Parse($$$"""
        {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{name}}}","{{{where}}}":{{{(status is null ? "{}" : $"{{\"debt.sealos/status\":\"{status}\"}}")}}} },"status":{"phase":"Active"}}
        """);
}
