using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Simulator.Tests;

public sealed class SelectorTests
{
    private static readonly JsonObject Labels = TestObjects.Labels(("app", "web"), ("tier", "front"), ("app.kubernetes.io/part-of", "shop"));

    [Theory]
    [InlineData("", true)]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app=db", false)]
    [InlineData("app!=db", true)]
    [InlineData("missing!=x", true)]
    [InlineData("app in (web,db)", true)]
    [InlineData("app in (db)", false)]
    [InlineData("app notin (db)", true)]
    [InlineData("missing notin (db)", true)]
    [InlineData("app notin (web)", false)]
    [InlineData("tier", true)]
    [InlineData("missing", false)]
    [InlineData("!missing", true)]
    [InlineData("!tier", false)]
    [InlineData("app=web,tier in (front, back),!canary,app.kubernetes.io/part-of=shop", true)]
    [InlineData("app=web,tier=back", false)]
    public void LabelSelectorMatches_Requirement_FollowsKubernetesSemantics(string selector, bool expected) =>
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(Labels));

    [Theory]
    [InlineData("app in (web")]
    [InlineData("app=we b")]
    [InlineData("app between (a)")]
    [InlineData("a,,b")]
    public void LabelSelectorParse_Malformed_Throws(string selector) =>
        Assert.Throws<FormatException>(() => LabelSelector.Parse(selector));

    [Theory]
    [InlineData("metadata.name=web-1", true)]
    [InlineData("metadata.namespace=shop,metadata.name!=web-2", true)]
    [InlineData("status.phase==Running", true)]
    [InlineData("status.phase!=Running", false)]
    [InlineData("spec.nodeName=node-a", true)]
    [InlineData("spec.hostNetwork=false", true)]
    [InlineData("spec.nodeName=", false)]
    public void FieldSelectorMatches_PodFields_FollowsKubernetesSemantics(string selector, bool expected)
    {
        var catalog = new ResourceCatalog();
        var pods = catalog.GetByKind("v1", "Pod");

        Assert.Equal(expected, FieldSelector.Parse(selector, pods).Matches(TestObjects.Pod("shop", "web-1")));
    }

    [Fact]
    public void FieldSelectorParse_FieldNotIndexedForResource_ThrowsNotSupported()
    {
        var catalog = new ResourceCatalog();

        var ex = Assert.Throws<FormatException>(() => FieldSelector.Parse("status.phase=Running", catalog.GetByKind("apps/v1", "Deployment")));

        Assert.Equal("field label not supported: status.phase", ex.Message);
    }
}
