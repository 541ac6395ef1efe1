using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Tests;

public sealed class PodTroubleTests
{
    [Fact]
    public void Find_CrashLoopBackOff_FetchesPreviousLog()
    {
        var pod = Pod("""
            {"name":"app","ready":false,"restartCount":7,"state":{"waiting":{"reason":"CrashLoopBackOff"}},
             "lastState":{"terminated":{"exitCode":1,"reason":"Error"}}}
            """, phase: "Running");

        var trouble = Assert.Single(PodTrouble.Find(pod));

        Assert.Equal(new PodTrouble("app", true, 7, "CrashLoopBackOff"), trouble);
    }

    [Fact]
    public void Find_RunningAfterOomKill_FetchesPreviousLog()
    {
        var pod = Pod("""
            {"name":"app","ready":true,"restartCount":2,"state":{"running":{}},
             "lastState":{"terminated":{"exitCode":137,"reason":"OOMKilled"}}}
            """, phase: "Running");

        Assert.Equal(new PodTrouble("app", true, 2, "OOMKilled"), Assert.Single(PodTrouble.Find(pod)));
    }

    [Fact]
    public void Find_TerminatedNonZero_FetchesCurrentLog()
    {
        var pod = Pod("""{"name":"job","ready":false,"restartCount":0,"state":{"terminated":{"exitCode":2,"reason":"Error"}}}""", phase: "Failed");

        Assert.Equal(new PodTrouble("job", false, 0, "Error"), Assert.Single(PodTrouble.Find(pod)));
    }

    [Fact]
    public void Find_RunningNotReady_FetchesCurrentLog()
    {
        var pod = Pod("""{"name":"web","ready":false,"restartCount":0,"state":{"running":{}}}""", phase: "Running");

        Assert.Equal("NotReady", Assert.Single(PodTrouble.Find(pod)).Reason);
    }

    [Theory]
    [InlineData("""{"name":"web","ready":true,"restartCount":0,"state":{"running":{}}}""", "Running")]
    [InlineData("""{"name":"job","ready":false,"restartCount":0,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}}""", "Succeeded")]
    [InlineData("""{"name":"web","ready":false,"restartCount":0,"state":{"waiting":{"reason":"ContainerCreating"}}}""", "Pending")]
    [InlineData("""{"name":"web","ready":true,"restartCount":1,"state":{"running":{}},"lastState":{"terminated":{"exitCode":0,"reason":"Completed"}}}""", "Running")]
    public void Find_HealthyOrBenign_FetchesNothing(string status, string phase)
    {
        Assert.Empty(PodTrouble.Find(Pod(status, phase)));
    }

    private static JsonElement Pod(string containerStatus, string phase) =>
        Parse($$$"""{"metadata":{"name":"p","namespace":"n"},"status":{"phase":"{{{phase}}}","containerStatuses":[{{{containerStatus}}}]}}""");

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
