using ChasiSre.Schemas.V1;

namespace ChasiSre.Diagnosis.Knowledge.Sources.Tests;

public sealed class PastIncidentDocumentTests
{
    [Theory]
    [InlineData(42, "42 s")]
    [InlineData(184, "3 min 4 s")]
    [InlineData(4320, "1 h 12 min")]
    [InlineData(183_600, "2 d 3 h")]
    public void Duration_Span_ReadsAsAnSreWritesIt(int seconds, string expected) =>
        Assert.Equal(expected, PastIncidentDocument.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void ForeignIdentifiers_HostObjectSyncedFromAnotherTenant_CountsAsThatTenants()
    {
        var node = Records.Node("node-3");
        var hostTwin = new ObjectRef { Cluster = "host-1", Layer = Layer.Host, Kind = "Pod", Namespace = "vcluster-team-a", Name = "web-1-x-default-x-vc-team-a", Twin = Records.Pod("team-a", "web-1", "default") };
        var own = Records.Pod("team-b", "ledger-0", "default");
        var incident = Records.Incident("inc-twin", node, "NodePressure", "node-3 pressure", 1, TimeSpan.FromMinutes(5), Records.Signal("s", own, "pod.evicted", "Evicted", "ledger-0 evicted"));
        incident.Affected.Add([hostTwin, own]);
        incident.Tenants.Add(["team-a", "team-b"]);

        var foreign = PastIncidentDocument.ForeignIdentifiers(incident, "team-b");

        Assert.Contains("web-1-x-default-x-vc-team-a", foreign);
        Assert.Contains("web-1", foreign);
        Assert.Contains("vcluster-team-a", foreign);
        Assert.Contains("team-a", foreign);
        // Shared with the reader's own objects or the platform's: not the other tenant's to hide.
        Assert.DoesNotContain("default", foreign);
        Assert.DoesNotContain("host-1", foreign);
        Assert.DoesNotContain("ledger-0", foreign);
        Assert.DoesNotContain("node-3", foreign);
        Assert.Equal(foreign.OrderByDescending(f => f.Length).Select(f => f.Length), foreign.Select(f => f.Length));
    }

    [Fact]
    public void Render_MultiLineFieldsAndHeadingsInMessages_StayInsideTheirSection()
    {
        var incident = Records.CrashLoop("inc-md");
        incident.Signals[0].Message = "first line\n# Injected heading\nthird line";
        var diagnosis = Records.Diagnosis(incident, 3, "cause\n## Not a section", [], ["step one"]);

        var text = PastIncidentDocument.Render(incident, diagnosis, "team-a", new PastIncidentIndexerOptions());

        Assert.DoesNotContain("\n# Injected", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n## Not a section", text, StringComparison.Ordinal);
        Assert.Contains("first line # Injected heading third line", text, StringComparison.Ordinal);
        Assert.StartsWith("---\ncategories: [CrashLoop]\n---\n\n# Past incident: CrashLoop on Pod vc-team-a/payments/payments-api-7c9d-x2k4\n", text, StringComparison.Ordinal);
    }
}
