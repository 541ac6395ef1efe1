using System.Text.RegularExpressions;

namespace ChasiSre.Schemas.Tests;

public sealed partial class TopicCatalogTests
{
    [Fact]
    public void All_HasTheTopicsOfTheArchitectureAndTheAlertsIntake()
    {
        Assert.Equal(
            ["chasi.k8s.objects.v1", "chasi.k8s.events.v1", "chasi.logs.v1", "chasi.metrics.v1", "chasi.business.v1", "chasi.signals.v1", "chasi.alerts.v1", "chasi.incidents.v1", "chasi.diagnoses.v1", "chasi.actions.v1", "chasi.dlq.v1"],
            TopicCatalog.All.Select(t => t.Name).ToArray());
    }

    [Fact]
    public void All_NamesAreVersionedUniqueAndCarryAChasiMessage()
    {
        Assert.Equal(TopicCatalog.All.Count, TopicCatalog.All.Select(t => t.Name).Distinct().Count());
        Assert.All(TopicCatalog.All, t =>
        {
            Assert.Matches(TopicName(), t.Name);
            Assert.StartsWith("chasi.v1.", t.Value.FullName, StringComparison.Ordinal);
            Assert.InRange(t.Partitions, 1, 64);
        });
    }

    [Fact]
    public void All_CompactedTopicsKeepForeverAndOthersExpire()
    {
        Assert.All(TopicCatalog.All, t =>
        {
            var config = t.KafkaConfig();
            if (t.Cleanup == CleanupPolicy.Compact)
            {
                Assert.Null(t.Retention);
                Assert.Equal("compact", config["cleanup.policy"]);
                Assert.Equal("-1", config["retention.ms"]);
            }
            else
            {
                Assert.NotNull(t.Retention);
                Assert.Equal(((long)t.Retention.Value.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture), config["retention.ms"]);
            }
        });
        Assert.Equal(
            ["chasi.k8s.objects.v1", "chasi.incidents.v1", "chasi.diagnoses.v1"],
            TopicCatalog.All.Where(t => t.Cleanup == CleanupPolicy.Compact).Select(t => t.Name).ToArray());
    }

    [Fact]
    public void Find_KnownAndUnknownNames()
    {
        Assert.Same(TopicCatalog.DeadLetters, TopicCatalog.Find("chasi.dlq.v1"));
        Assert.Null(TopicCatalog.Find("chasi.nope.v1"));
    }

    [GeneratedRegex(@"^chasi(\.[a-z0-9]+)+\.v[0-9]+$")]
    private static partial Regex TopicName();
}
