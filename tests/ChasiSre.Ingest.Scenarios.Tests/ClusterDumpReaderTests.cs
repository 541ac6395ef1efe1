using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Scenarios.Tests;

/// <summary>Dumps are written here the way kubectl's clusterinfo_dump.go writes them: typed lists whose items carry
/// no apiVersion/kind, one directory per namespace, and &lt;ns&gt;/&lt;pod&gt;/logs.txt with START/END markers per
/// init and regular container.</summary>
public sealed class ClusterDumpReaderTests
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static void WriteList(TempDirectory dir, string path, string? kind, string? apiVersion, params JsonObject[] items)
    {
        var list = new JsonObject();
        if (kind is not null)
        {
            list["kind"] = kind;
            list["apiVersion"] = apiVersion;
        }

        list["metadata"] = new JsonObject { ["resourceVersion"] = "4242" };
        list["items"] = new JsonArray(items);
        dir.Write(path, list.ToJsonString(Indented));
    }

    private static JsonObject Item(string name, string? ns = null, JsonObject? extra = null)
    {
        var item = new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } };
        if (ns is not null)
        {
            item["metadata"]!["namespace"] = ns;
        }

        foreach (var (key, value) in extra ?? [])
        {
            item[key] = value?.DeepClone();
        }

        return item;
    }

    private static TempDirectory WriteDump()
    {
        var dir = new TempDirectory();
        WriteList(dir, "nodes.json", "NodeList", "v1", Item("worker-1", extra: new JsonObject { ["status"] = new JsonObject { ["nodeInfo"] = new JsonObject { ["kubeletVersion"] = "v1.33.4" } } }));
        WriteList(dir, "default/events.json", "EventList", "v1", Item("web-1.17f0", "default", new JsonObject
        {
            ["involvedObject"] = new JsonObject { ["kind"] = "Pod", ["namespace"] = "default", ["name"] = "web-1" },
            ["reason"] = "BackOff",
        }));
        WriteList(dir, "default/replication-controllers.json", "ReplicationControllerList", "v1");
        WriteList(dir, "default/services.json", "ServiceList", "v1", Item("web", "default"));
        WriteList(dir, "default/daemonsets.json", "DaemonSetList", "apps/v1");
        var deployment = Item("web", "default");
        deployment["apiVersion"] = "apps/v1";
        deployment["kind"] = "Deployment";
        WriteList(dir, "default/deployments.json", "DeploymentList", "apps/v1", deployment);
        WriteList(dir, "default/replicasets.json", "ReplicaSetList", "apps/v1", Item("web-5d8f", "default"));
        WriteList(dir, "default/pods.json", "PodList", "v1", Item("web-1", "default", new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["initContainers"] = new JsonArray(new JsonObject { ["name"] = "init" }),
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "app" }, new JsonObject { ["name"] = "sidecar" }),
            },
        }));
        dir.Write("default/web-1/logs.txt", """
            ==== START logs for container init of pod default/web-1 ====
            init done
            ==== END logs for container init of pod default/web-1 ====
            ==== START logs for container app of pod default/web-1 ====
            line 1

            line 3==== END logs for container app of pod default/web-1 ====
            ==== START logs for container sidecar of pod default/web-1 ====
            Request log error: the server rejected our request for an unknown reason
            ==== END logs for container sidecar of pod default/web-1 ====

            """);
        // An older kubectl printed the list without kind/apiVersion: the file name tells the kind.
        WriteList(dir, "kube-system/pods.json", null, null, Item("coredns-7c6f-abcde", "kube-system"));
        return dir;
    }

    [Fact]
    public void Read_KubectlLayout_AppliesEveryItemWithKindFromItsList()
    {
        using var dir = WriteDump();

        var ops = ClusterDumpReader.Read(dir.Path, "prod");

        Assert.All(ops, o => Assert.Equal(("prod", TimeSpan.Zero), (o.Cluster, o.At)));
        var applies = ops.OfType<ApplyObject>().Select(a => (a.ApiVersion, a.Kind, a.Namespace, a.Name)).ToList();
        Assert.Equal(
            [
                ("v1", "Node", null, "worker-1"),
                ("v1", "Namespace", null, "default"),
                ("v1", "Service", "default", "web"),
                ("apps/v1", "Deployment", "default", "web"),
                ("apps/v1", "ReplicaSet", "default", "web-5d8f"),
                ("v1", "Pod", "default", "web-1"),
                ("v1", "Event", "default", "web-1.17f0"),
                ("v1", "Namespace", null, "kube-system"),
                ("v1", "Pod", "kube-system", "coredns-7c6f-abcde"),
            ],
            applies);
        Assert.Equal("v1.33.4", ops.OfType<ApplyObject>().First().Object.At("status", "nodeInfo", "kubeletVersion"));
    }

    [Fact]
    public void Read_LogsFile_SplitsPerContainerAndSkipsKubectlErrors()
    {
        using var dir = WriteDump();

        var logs = ClusterDumpReader.Read(dir.Path).OfType<SetPodLogs>().ToList();

        Assert.Equal(["init", "app"], logs.Select(l => l.Container));
        Assert.All(logs, l => Assert.Equal(("host", "default", "web-1", false), (l.Cluster, l.Namespace, l.Pod, l.Previous)));
        Assert.Equal(["init done"], logs[0].Lines);
        Assert.Equal(["line 1", "", "line 3"], logs[1].Lines);
    }

    [Fact]
    public void Read_MalformedJson_ThrowsNamingTheFile()
    {
        using var dir = WriteDump();
        var broken = dir.Write("default/services.json", "{\n  \"kind\": \"ServiceList\",\n  \"items\": [ {\"metadata\": \n");

        var exception = Assert.Throws<ClusterDumpException>(() => ClusterDumpReader.Read(dir.Path));

        Assert.Equal(broken, exception.File);
        Assert.StartsWith(broken + ": malformed JSON", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ListWithoutItems_ThrowsNamingTheFile()
    {
        using var dir = WriteDump();
        var broken = dir.Write("nodes.json", "{\"kind\": \"NodeList\", \"apiVersion\": \"v1\"}");

        var exception = Assert.Throws<ClusterDumpException>(() => ClusterDumpReader.Read(dir.Path));

        Assert.Equal(broken, exception.File);
        Assert.Contains("'items'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LogWithoutEndMarker_ThrowsNamingTheFile()
    {
        using var dir = WriteDump();
        var broken = dir.Write("default/web-1/logs.txt", "==== START logs for container app of pod default/web-1 ====\ncut short\n");

        var exception = Assert.Throws<ClusterDumpException>(() => ClusterDumpReader.Read(dir.Path));

        Assert.Equal(broken, exception.File);
        Assert.Contains("no '==== END logs", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_YamlOutput_ReadsLikeJson()
    {
        using var dir = new TempDirectory();
        dir.Write("nodes.yaml", "apiVersion: v1\nkind: NodeList\nitems:\n- metadata:\n    name: worker-1\n    labels: {tier: '1'}\n");

        var node = Assert.Single(ClusterDumpReader.Read(dir.Path).OfType<ApplyObject>());

        Assert.Equal(("v1", "Node", "worker-1"), (node.ApiVersion, node.Kind, node.Name));
        Assert.Equal("\"1\"", node.Object["metadata"]!["labels"]!["tier"]!.ToJsonString());
    }

    [Fact]
    public void Read_MissingDirectory_Throws()
    {
        Assert.Throws<DirectoryNotFoundException>(() => ClusterDumpReader.Read(Path.Combine(Path.GetTempPath(), "chasi-no-such-dump-" + Guid.NewGuid().ToString("N"))));
    }
}
