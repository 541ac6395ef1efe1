using System.Security.Cryptography;
using System.Text;

namespace ChasiSre.Ingest.Scenarios.Tests;

public sealed class VClusterNamingTests
{
    [Fact]
    public void HostName_ShortName_JoinsWithX()
    {
        Assert.Equal("checkout-6d5f7c9b8-x2x9p-x-shop-x-team-a", VClusterNaming.HostName("checkout-6d5f7c9b8-x2x9p", "shop", "team-a"));
    }

    [Fact]
    public void HostName_Exactly63Characters_IsKept()
    {
        var name = new string('a', 63 - "-x-ns-x-vc".Length);

        var hostName = VClusterNaming.HostName(name, "ns", "vc");

        Assert.Equal(63, hostName.Length);
        Assert.Equal(name + "-x-ns-x-vc", hostName);
    }

    [Fact]
    public void HostName_LongerThan63_TruncatesTo52AndAppendsSha256Prefix()
    {
        const string name = "report-worker-with-a-really-long-deployment-name-5c8d9f7b6-h2j4k";
        const string full = name + "-x-analytics-x-team-b";
        var expectedHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(full))).ToLowerInvariant()[..10];

        var hostName = VClusterNaming.HostName(name, "analytics", "team-b");

        Assert.Equal(full[..52] + "-" + expectedHash, hostName);
        Assert.Equal(63, hostName.Length);
    }

    [Fact]
    public void HostName_TruncationEndingInDot_DropsTheDot()
    {
        // vCluster's SafeConcatName replaces ".-" after truncation so the name stays a valid DNS label.
        var name = new string('a', 51) + ".b-long-tail-to-push-past-sixty-three";
        var full = name + "-x-ns-x-vc";
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(full))).ToLowerInvariant()[..10];

        Assert.Equal(new string('a', 51) + "-" + hash, VClusterNaming.HostName(name, "ns", "vc"));
    }

    [Theory]
    [InlineData("v1", "Pod", "/v1, Kind=Pod")]
    [InlineData("discovery.k8s.io/v1", "EndpointSlice", "discovery.k8s.io/v1, Kind=EndpointSlice")]
    public void KindAnnotationValue_ApiVersionAndKind_FormatsLikeGoGroupVersionKind(string apiVersion, string kind, string expected)
    {
        Assert.Equal(expected, VClusterNaming.KindAnnotationValue(apiVersion, kind));
    }

    [Fact]
    public void LabelsAnnotationValue_UnsortedLabels_WritesSortedQuotedLines()
    {
        var value = VClusterNaming.LabelsAnnotationValue(new Dictionary<string, string> { ["z"] = "1", ["app"] = "web" });

        Assert.Equal("app=\"web\"\nz=\"1\"", value);
    }
}
