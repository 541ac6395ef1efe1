namespace ChasiSre.Streams.Detection.Tests;

/// <summary>One row of a detector table: how to build the state, and which object changed.</summary>
internal sealed record DetectorCase(Action<TestClusters> Setup, string Cluster, string Kind, string? Namespace, string Name)
{
    public IReadOnlyList<Finding> Run(string detectorName, DateTimeOffset? now = null)
    {
        var clusters = new TestClusters(now ?? TestClusters.T0, "team-a");
        Setup(clusters);
        var detector = DetectorCatalog.All().Single(d => d.Name == detectorName);
        Assert.Contains(Kind, detector.Kinds);
        return clusters.Detect(detector, Cluster, Kind, Namespace, Name);
    }

    /// <summary>Runs the case and checks the finding has <paramref name="reason"/> and <paramref name="category"/>, or that there is none.</summary>
    public Finding? Expect(string detectorName, string? reason, string? category)
    {
        var findings = Run(detectorName);
        if (reason is null)
        {
            Assert.True(findings.Count == 0, $"expected no finding, got: {string.Join(" | ", findings.Select(f => $"{f.Reason}: {f.Message}"))}");
            return null;
        }

        var finding = Assert.Single(findings, f => f.Reason == reason);
        Assert.Equal(category, finding.Category.ToString());
        Assert.Equal(detectorName, finding.Detector);
        Assert.False(string.IsNullOrWhiteSpace(finding.Message));
        Assert.NotEmpty(finding.Evidence);
        return finding;
    }
}
