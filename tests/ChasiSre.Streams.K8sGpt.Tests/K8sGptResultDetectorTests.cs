using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;

namespace ChasiSre.Streams.K8sGpt.Tests;

public sealed class K8sGptResultDetectorTests
{
    private readonly K8sGptResultDetector detector = new();

    [Fact]
    public void Detect_PodBackOffResult_CrashLoopFindingAboutThePod()
    {
        var finding = Assert.Single(detector.Detect(ResultObjects.Load("pod-crashloop.json"), new InMemoryClusterState(ResultObjects.T0)));

        Assert.Equal("k8sgpt.result", finding.Detector);
        Assert.Equal(IncidentCategory.CrashLoop, finding.Category);
        Assert.Equal("CrashLoopBackOff", finding.Reason);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Equal(("prod-eu1", "Pod", "v1", "shop", "checkout-7d9c6b5f4b-qx2lm", Layer.Host),
            (finding.Subject.Cluster, finding.Subject.Kind, finding.Subject.ApiVersion, finding.Subject.Namespace, finding.Subject.Name, finding.Subject.Layer));
        Assert.Equal(2, finding.Evidence.Count);
        Assert.Contains("back-off 5m0s restarting failed container=checkout", finding.Evidence[0], StringComparison.Ordinal);
        Assert.Contains("the last termination reason is Error", finding.Evidence[1], StringComparison.Ordinal);
        Assert.Equal("k8sgpt", finding.Attributes["source"]);
        Assert.Equal("localai", finding.Attributes["k8sgpt.backend"]);
        Assert.Equal("k8sgpt-operator-system/shopcheckout7d9c6b5f4bqx2lm", finding.Attributes["k8sgpt.result"]);
        Assert.StartsWith("Error: The checkout container keeps crashing", finding.Attributes["k8sgpt.details"], StringComparison.Ordinal);
        var parent = Assert.Single(finding.Related);
        Assert.Equal(("Deployment", "apps/v1", "shop", "checkout"), (parent.Kind, parent.ApiVersion, parent.Namespace, parent.Name));
    }

    [Theory]
    [InlineData("pod-image-pull.json", "Pod", "shop", "cart-5f8b9c7d6f-zt4kp", IncidentCategory.ImagePull)]
    [InlineData("service-no-endpoints.json", "Service", "payments", "payments-api", IncidentCategory.NetworkService)]
    [InlineData("pvc-pending.json", "PersistentVolumeClaim", "shop", "data-postgres-0", IncidentCategory.Storage)]
    [InlineData("node-not-ready.json", "Node", "", "worker-3", IncidentCategory.NodeFailure)]
    public void Detect_RealisticResult_CategoryAndSubject(string file, string kind, string objectNamespace, string name, IncidentCategory category)
    {
        var finding = Assert.Single(detector.Detect(ResultObjects.Load(file), new InMemoryClusterState(ResultObjects.T0)));

        Assert.Equal(category, finding.Category);
        Assert.Equal((kind, objectNamespace, name), (finding.Subject.Kind, finding.Subject.Namespace, finding.Subject.Name));
    }

    [Fact]
    public void Detect_SensitiveValues_MaskedInMessageEvidenceAndDetails()
    {
        var finding = Assert.Single(detector.Detect(ResultObjects.Load("service-no-endpoints.json"), new InMemoryClusterState(ResultObjects.T0)));

        var texts = new[] { finding.Message }.Concat(finding.Evidence).Concat(finding.Attributes.Values).ToList();
        Assert.DoesNotContain(texts, t => t.Contains("ledger-backend-7731", StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => t.Contains("tier=", StringComparison.Ordinal));
        Assert.Contains("expected label Xy0jqQ===c2VjcmV0LXNlbGVjdG9y", finding.Evidence[0], StringComparison.Ordinal);
        Assert.Contains("Xy0jqQ===c2VjcmV0LXNlbGVjdG9y", finding.Attributes["k8sgpt.details"], StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_SubjectKnownToState_UsesItsReference()
    {
        var state = new InMemoryClusterState(ResultObjects.T0);
        var pod = new ObjectRef
        {
            Cluster = "team-a",
            Tenant = "team-a",
            Layer = Layer.Virtual,
            ApiVersion = "v1",
            Kind = "Pod",
            Namespace = "shop",
            Name = "checkout-7d9c6b5f4b-qx2lm",
            Uid = "uid-pod-1",
            HostCluster = "host-a",
            HostNamespace = "vc-team-a",
        };
        state.Apply(ResultObjects.Object(pod));

        var finding = Assert.Single(detector.Detect(ResultObjects.Load("pod-crashloop.json", Layer.Virtual, "team-a", "team-a"), state));

        Assert.Equal(pod, finding.Subject);
    }

    [Fact]
    public void Detect_SubjectUnknownInVCluster_SameClusterLayerTenantAndHost()
    {
        var finding = Assert.Single(detector.Detect(ResultObjects.Load("pod-crashloop.json", Layer.Virtual, "team-a", "team-a"), new InMemoryClusterState(ResultObjects.T0)));

        Assert.Equal(("team-a", "team-a", Layer.Virtual, "host-a", "vc-team-a"),
            (finding.Subject.Cluster, finding.Subject.Tenant, finding.Subject.Layer, finding.Subject.HostCluster, finding.Subject.HostNamespace));
    }

    [Theory]
    [InlineData("""{"apiVersion":"core.k8sgpt.ai/v1alpha1","kind":"Result","metadata":{"name":"r","namespace":"k"},"spec":{"kind":"Pod","name":"shop/web","error":[]}}""")]
    [InlineData("""{"apiVersion":"core.k8sgpt.ai/v1alpha1","kind":"Result","metadata":{"name":"r","namespace":"k"},"spec":{"kind":"Pod","name":"shop/web","error":[{"text":""}]}}""")]
    [InlineData("""{"apiVersion":"core.k8sgpt.ai/v1alpha1","kind":"Result","metadata":{"name":"r","namespace":"k"},"spec":{"kind":"Pod","error":[{"text":"back-off"}]}}""")]
    [InlineData("""{"apiVersion":"core.k8sgpt.ai/v1alpha1","kind":"Result","metadata":{"name":"r","namespace":"k"},"spec":{"kind":42,"name":["x"],"error":"oops"}}""")]
    [InlineData("""{"apiVersion":"core.k8sgpt.ai/v1alpha1","kind":"Result","metadata":{"name":"r","namespace":"k"},"spec":"not an object"}""")]
    [InlineData("""{"apiVersion":"example.com/v1","kind":"Result","metadata":{"name":"r","namespace":"k"},"spec":{"kind":"Pod","name":"shop/web","error":[{"text":"back-off"}]}}""")]
    public void Detect_NoErrorsOrOddOrForeignResult_NoFinding(string json)
    {
        Assert.Empty(detector.Detect(ResultObjects.Parse(json), new InMemoryClusterState(ResultObjects.T0)));
    }

    [Fact]
    public void Detect_RegisteredInRunner_RunsOnResultChanges()
    {
        var runner = new DetectorRunner([detector]);

        var findings = runner.Run(ResultObjects.Load("pvc-pending.json"), new InMemoryClusterState(ResultObjects.T0));

        Assert.Equal(IncidentCategory.Storage, Assert.Single(findings).Category);
        Assert.Empty(runner.Run(ResultObjects.Object(new ObjectRef { Cluster = "prod-eu1", Kind = "Pod", Namespace = "shop", Name = "web" }), new InMemoryClusterState(ResultObjects.T0)));
    }
}
