using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Detection.Tests;

public sealed class InMemoryClusterStateTests
{
    [Fact]
    public void Apply_ReplaceAndRemove_IndexesFollow()
    {
        var clusters = new TestClusters(TestClusters.T0, "team-a");
        clusters.Add("team-a", Objects.Pod("web-1", node: "w1"));
        clusters.Add("team-a", Objects.Pod("web-1", node: "w2"));

        Assert.Single(clusters.State.List("team-a", "Pod"));
        Assert.Single(clusters.State.List("team-a", "Pod", "shop"));
        Assert.Empty(clusters.State.List("team-a", "Pod", "other"));
        Assert.Empty(clusters.State.PodsOnNode("team-a", "w1"));
        Assert.Single(clusters.State.PodsOnNode("team-a", "w2"));
        var owner = clusters.Ref("team-a", "ReplicaSet", "shop", "web-7d9f");
        owner.Uid = "uid-rs-web-7d9f";
        Assert.Single(clusters.State.ListOwnedBy(owner, "Pod"));
        Assert.Equal(["team-a"], clusters.State.Clusters);

        Assert.True(clusters.State.Remove(clusters.Ref("team-a", "Pod", "shop", "web-1")));

        Assert.Null(clusters.State.Find("team-a", "Pod", "shop", "web-1"));
        Assert.Empty(clusters.State.PodsOnNode("team-a", "w2"));
        Assert.Empty(clusters.State.ListOwnedBy(owner, "Pod"));
        Assert.Empty(clusters.State.Clusters);
        Assert.False(clusters.State.Remove(clusters.Ref("team-a", "Pod", "shop", "web-1")));
    }

    [Fact]
    public void ListOwnedBy_OwnerWithOtherUid_NotOwned()
    {
        var clusters = new TestClusters(TestClusters.T0, "team-a");
        clusters.Add("team-a", Objects.Pod("web-1"));
        var namesake = clusters.Ref("team-a", "ReplicaSet", "shop", "web-7d9f");
        namesake.Uid = "uid-of-a-recreated-replicaset";

        Assert.Empty(clusters.State.ListOwnedBy(namesake, "Pod"));
    }

    [Fact]
    public void Events_SameNameOtherKindOrUid_NotAttributed()
    {
        var clusters = new TestClusters(TestClusters.T0, "team-a");
        clusters.Add("team-a", Objects.Service("web"));
        clusters.Add("team-a", Objects.Event("e1", "Service", "web", "A", "about the service", uid: "uid-svc-web"));
        clusters.Add("team-a", Objects.Event("e2", "Deployment", "web", "B", "about the deployment"));
        clusters.Add("team-a", Objects.Event("e3", "Service", "web", "C", "about a deleted namesake", uid: "uid-old"));
        clusters.Add("team-a", Objects.Event("e4", "Service", "web", "D", "no uid recorded"));

        var events = clusters.State.Events(clusters.Ref("team-a", "Service", "shop", "web"));

        Assert.Equal(["A", "D"], events.Select(e => e.Reason).Order());
    }

    [Fact]
    public void AddEvent_SameEventObjectAgain_ReplacesItsCount()
    {
        var clusters = new TestClusters(TestClusters.T0, "team-a");
        clusters.Add("team-a", Objects.Pod("web-1"));
        clusters.Add("team-a", Objects.Event("e1", "Pod", "web-1", "BackOff", "back-off", count: 3));
        clusters.Add("team-a", Objects.Event("e1", "Pod", "web-1", "BackOff", "back-off", count: 9));

        var only = Assert.Single(clusters.State.Events(clusters.Ref("team-a", "Pod", "shop", "web-1")));

        Assert.Equal(9, only.Count);
    }

    [Fact]
    public void Logs_PreviousFirstAndBounded_KeepsNewestLines()
    {
        var state = new InMemoryClusterState(TestClusters.T0, maxLogLinesPerContainer: 3);
        var pod = new ObjectRef { Cluster = "team-a", Kind = "Pod", Namespace = "shop", Name = "web-1" };
        state.AddLogs([.. Enumerable.Range(0, 5).Select(i => new LogRecord { Source = pod, Container = "app", Message = $"current {i}", Id = $"c{i}" })]);
        state.AddLogs([new LogRecord { Source = pod, Container = "app", Previous = true, Message = "crashed", Id = "p0" }]);
        state.AddLogs([new LogRecord { Source = pod, Container = "app", Message = "current 4", Id = "c4" }]);

        var lines = state.Logs(pod).Select(l => l.Message).ToList();

        Assert.Equal(["crashed", "current 2", "current 3", "current 4"], lines);
    }

    [Fact]
    public void AddLog_OneLineAtATime_KeepsWhatAddLogsKeeps()
    {
        var pod = new ObjectRef { Cluster = "team-a", Kind = "Pod", Namespace = "shop", Name = "web-1" };
        var lines = Enumerable.Range(0, 6).Select(i => new LogRecord { Source = pod, Container = "app", Message = $"current {i}", Id = $"c{i}" })
            .Append(new LogRecord { Source = pod, Container = "app", Message = "current 4 again", Id = "c4" })
            .Append(new LogRecord { Source = pod, Container = "app", Message = "no id" })
            .Append(new LogRecord { Source = pod, Container = "app", Previous = true, Message = "crashed", Id = "p0" })
            .ToList();
        var oneByOne = new InMemoryClusterState(TestClusters.T0, maxLogLinesPerContainer: 3);
        var grouped = new InMemoryClusterState(TestClusters.T0, maxLogLinesPerContainer: 3);

        foreach (var line in lines)
        {
            oneByOne.AddLog(line);
            grouped.AddLogs([line]);
        }

        Assert.Equal(["crashed", "current 4", "current 5", "no id"], oneByOne.Logs(pod).Select(l => l.Message));
        Assert.Equal(grouped.Logs(pod).Select(l => l.Message), oneByOne.Logs(pod).Select(l => l.Message));
    }

    [Fact]
    public void AddLog_LineWithoutPod_ThrowsArgumentNullException()
    {
        var state = new InMemoryClusterState(TestClusters.T0);

        Assert.Throws<ArgumentNullException>(() => state.AddLog(new LogRecord { Message = "orphan" }));
    }

    [Fact]
    public void Clusters_AfterAClusterComesOrGoes_FollowsIt()
    {
        var clusters = new TestClusters(TestClusters.T0, "team-a", "team-b");
        clusters.Add("team-a", Objects.Pod("web-1"));
        Assert.Equal(["team-a"], clusters.State.Clusters);

        clusters.Add("team-b", Objects.Pod("web-1"));
        clusters.Add("team-a", Objects.Pod("web-2"));

        Assert.Equal(["team-a", "team-b"], clusters.State.Clusters);
        clusters.Remove("team-a", "Pod", "shop", "web-1");
        Assert.Equal(["team-a", "team-b"], clusters.State.Clusters);
        clusters.Remove("team-a", "Pod", "shop", "web-2");
        Assert.Equal(["team-b"], clusters.State.Clusters);
    }

    [Fact]
    public void Events_ArrivedOutOfTimeOrder_OldestFirst()
    {
        var state = new InMemoryClusterState(TestClusters.T0);
        var pod = new ObjectRef { Cluster = "team-a", Kind = "Pod", Namespace = "shop", Name = "web-1" };
        foreach (var (name, minute) in (ReadOnlySpan<(string, int)>)[("late", 5), ("early", 1), ("middle", 3), ("also-middle", 3)])
        {
            state.AddEvent(new KubeEvent
            {
                Event = new ObjectRef { Cluster = "team-a", Kind = "Event", Namespace = "shop", Name = name },
                Involved = pod,
                Reason = name,
                LastSeen = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(TestClusters.T0.AddMinutes(minute)),
            });
        }

        Assert.Equal(["early", "middle", "also-middle", "late"], state.Events(pod).Select(e => e.Reason));
    }

    [Fact]
    public async Task Readers_WhileAWriterApplies_NeverSeeATornState()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var clusters = new TestClusters(TestClusters.T0, "team-a");
        var pods = Enumerable.Range(0, 200).Select(i => Objects.Pod($"web-{i}").ToJsonString()).ToList();
        var writer = Task.Run(
            () =>
            {
                for (var round = 0; round < 5; round++)
                {
                    foreach (var pod in pods)
                    {
                        clusters.Add("team-a", pod);
                    }

                    foreach (var i in Enumerable.Range(0, 200))
                    {
                        clusters.Remove("team-a", "Pod", "shop", $"web-{i}");
                    }
                }
            },
            cancellationToken);
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(
            () =>
            {
                while (!writer.IsCompleted)
                {
                    foreach (var pod in clusters.State.List("team-a", "Pod"))
                    {
                        Assert.Equal("Pod", pod.Ref.Kind);
                    }

                    _ = clusters.State.PodsOnNode("team-a", "worker-1").Count();
                }
            },
            cancellationToken)).ToList();

        await Task.WhenAll([writer, .. readers]).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);

        Assert.Empty(clusters.State.List("team-a", "Pod"));
    }
}
