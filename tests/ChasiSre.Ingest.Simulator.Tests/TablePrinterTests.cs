using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Simulator.Tests;

public sealed class TablePrinterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(-5, "<invalid>")]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(200, "3m20s")]
    [InlineData(300, "5m")]
    [InlineData(7200, "120m")]
    [InlineData(4 * 3600 + 600, "4h10m")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(3 * 86400 + 4 * 3600, "3d4h")]
    [InlineData(40 * 86400, "40d")]
    [InlineData((3 * 365 + 10) * 86400, "3y10d")]
    public void HumanDuration_Seconds_FormatsLikeTheApiServer(long seconds, string expected) =>
        Assert.Equal(expected, TablePrinter.HumanDuration(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData("""{"phase":"Pending","initContainerStatuses":[{"name":"init","state":{"waiting":{"reason":"PodInitializing"}}}]}""", "Init:0/1")]
    [InlineData("""{"phase":"Pending","initContainerStatuses":[{"name":"init","state":{"terminated":{"exitCode":2}}}]}""", "Init:ExitCode:2")]
    [InlineData("""{"phase":"Pending","initContainerStatuses":[{"name":"init","state":{"waiting":{"reason":"ImagePullBackOff"}}}]}""", "Init:ImagePullBackOff")]
    [InlineData("""{"phase":"Running","containerStatuses":[{"name":"app","ready":true,"state":{"running":{}}}]}""", "Running")]
    [InlineData("""{"phase":"Running","containerStatuses":[{"name":"app","state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}""", "CrashLoopBackOff")]
    [InlineData("""{"phase":"Failed","containerStatuses":[{"name":"app","state":{"terminated":{"exitCode":137,"reason":"OOMKilled"}}}]}""", "OOMKilled")]
    [InlineData("""{"phase":"Failed","containerStatuses":[{"name":"app","state":{"terminated":{"exitCode":0,"signal":9}}}]}""", "Signal:9")]
    [InlineData("""{"phase":"Failed","reason":"Evicted","containerStatuses":[]}""", "Evicted")]
    public void PodStatusCell_ContainerStates_ComputedLikeKubectl(string status, string expected)
    {
        var pod = TestObjects.Pod("shop", "p");
        pod["spec"]!["initContainers"] = new JsonArray(new JsonObject { ["name"] = "init" });
        pod["status"] = JsonNode.Parse(status);
        var stored = new StoredObject(new ResourceCatalog().GetByKind("v1", "Pod"), pod, 1);

        var cells = TablePrinter.Cells(stored, Now);

        Assert.Equal(expected, (string?)cells[2]);
    }

    [Fact]
    public void PodCells_DeletionTimestampOnRunningPod_ShowsTerminating()
    {
        var pod = TestObjects.Pod("shop", "p");
        pod["metadata"]!["deletionTimestamp"] = "2026-11-28T11:59:00Z";
        pod["metadata"]!["creationTimestamp"] = "2026-11-28T11:00:00Z";

        var cells = TablePrinter.Cells(new StoredObject(new ResourceCatalog().GetByKind("v1", "Pod"), pod, 1), Now);

        Assert.Equal(["p", "1/1", "Terminating", "0", "60m", "10.0.0.1", "node-a", "<none>", "<none>"], cells.Select(c => c!.ToString()));
    }

    [Fact]
    public void NodeCells_ReadyControlPlaneCordoned_ShowsStatusRolesAndVersion()
    {
        var node = JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"cp-1","creationTimestamp":"2026-11-20T12:00:00Z","labels":{"node-role.kubernetes.io/control-plane":""}},
             "spec":{"unschedulable":true},
             "status":{"conditions":[{"type":"Ready","status":"True"}],"addresses":[{"type":"InternalIP","address":"172.18.0.2"}],
                       "nodeInfo":{"kubeletVersion":"v1.33.4","osImage":"Debian GNU/Linux 12 (bookworm)","kernelVersion":"6.8.0","containerRuntimeVersion":"containerd://1.7.27"}}}
            """)!.AsObject();

        var cells = TablePrinter.Cells(new StoredObject(new ResourceCatalog().GetByKind("v1", "Node"), node, 1), Now);

        Assert.Equal(
            ["cp-1", "Ready,SchedulingDisabled", "control-plane", "8d", "v1.33.4", "172.18.0.2", "<none>", "Debian GNU/Linux 12 (bookworm)", "6.8.0", "containerd://1.7.27"],
            cells.Select(c => c!.ToString()));
    }
}
