using System.Text.Json.Nodes;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection.Detectors;

namespace ChasiSre.Streams.Detection.Tests;

/// <summary>Pending claims as the CSI flow reports them, and vCluster claims whose class lives only on the host.</summary>
public sealed class PvcPendingDetectorTests
{
    private const string A = "team-a";
    private const string H = TestClusters.Host;

    [Fact]
    public void Detect_FailureFollowedByNormalExternalProvisioning_ProvisioningFailed()
    {
        var clusters = new TestClusters(TestClusters.T0, A);
        clusters.Add(H, StorageClass("openebs-lvm"));
        clusters.Add(H, Pvc("uploads", "openebs-lvm"));
        clusters.Add(H, Objects.Event("f1", "PersistentVolumeClaim", "uploads", "ProvisioningFailed",
            "failed to provision volume with StorageClass \"openebs-lvm\": rpc error: code = ResourceExhausted desc = no vg available", lastSeconds: -5));
        clusters.Add(H, Objects.Event("w1", "PersistentVolumeClaim", "uploads", "ExternalProvisioning",
            "Waiting for a volume to be created either by the external provisioner 'local.csi.openebs.io' or manually by the system administrator.", type: "Normal", count: 26, lastSeconds: 0));

        var finding = Assert.Single(clusters.Detect(new PvcPendingDetector(), H, "PersistentVolumeClaim", "shop", "uploads"));

        Assert.Equal("ProvisioningFailed", finding.Reason);
        Assert.Contains(finding.Evidence, e => e.Contains("ResourceExhausted", StringComparison.Ordinal));
        Assert.Equal(("StorageClass", "openebs-lvm"), (finding.Cause?.Kind, finding.Cause?.Name));
    }

    [Theory]
    [InlineData(-3600, null)]
    [InlineData(-300, "ProvisioningSucceeded")]
    public void Detect_FailureOutdatedOrFollowedBySuccess_NoFinding(int failedSecondsAgo, string? laterReason)
    {
        var clusters = new TestClusters(TestClusters.T0, A);
        clusters.Add(H, StorageClass("openebs-lvm"));
        clusters.Add(H, Pvc("uploads", "openebs-lvm"));
        clusters.Add(H, Objects.Event("f1", "PersistentVolumeClaim", "uploads", "ProvisioningFailed", "rpc error: code = ResourceExhausted", lastSeconds: failedSecondsAgo));
        if (laterReason is not null)
        {
            clusters.Add(H, Objects.Event("s1", "PersistentVolumeClaim", "uploads", laterReason, "Successfully provisioned volume pvc-1", type: "Normal", count: 1, lastSeconds: -10));
        }

        Assert.Empty(clusters.Detect(new PvcPendingDetector(), H, "PersistentVolumeClaim", "shop", "uploads"));
    }

    [Theory]
    [InlineData(true, Layer.Host)]
    [InlineData(false, Layer.Virtual)]
    public void Detect_VClusterClaimWhoseClassIsMissingInTheVCluster_CauseIsTheHostClassWhenTheHostHasIt(bool onHost, Layer causeLayer)
    {
        var clusters = new TestClusters(TestClusters.T0, A);
        if (onHost)
        {
            clusters.Add(H, StorageClass("fast-ssd"));
        }

        clusters.Add(A, Pvc("data-postgres-0", "fast-ssd"));
        clusters.Add(A, Objects.Event("f1", "PersistentVolumeClaim", "data-postgres-0", "ProvisioningFailed", "storageclass.storage.k8s.io \"fast-ssd\" not found", count: 9));

        var finding = Assert.Single(clusters.Detect(new PvcPendingDetector(), A, "PersistentVolumeClaim", "shop", "data-postgres-0"));

        Assert.Equal("ProvisioningFailed", finding.Reason);
        Assert.Equal(("StorageClass", "fast-ssd", causeLayer), (finding.Cause?.Kind, finding.Cause?.Name, finding.Cause?.Layer));
        Assert.Equal(onHost, finding.Evidence.Any(e => e.Contains("exists on the host cluster but not in vCluster team-a", StringComparison.Ordinal)));
    }

    private static JsonObject Pvc(string name, string storageClass) => Objects.Parse($$$"""
        {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"{{{name}}}","namespace":"shop","uid":"uid-pvc-{{{name}}}"},
         "spec":{"storageClassName":"{{{storageClass}}}","resources":{"requests":{"storage":"200Gi"} } },"status":{"phase":"Pending"}}
        """);

    private static JsonObject StorageClass(string name) => Objects.Parse($$$"""
        {"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"name":"{{{name}}}"},"provisioner":"local.csi.openebs.io","volumeBindingMode":"Immediate"}
        """);
}
