using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;

namespace ChasiSre.Streams.Correlation.Tests;

public sealed class IncidentCorrelatorLifecycleTests
{
    private readonly InMemoryClusterState state = new(Fleet.T0);
    private readonly Workload checkout;

    public IncidentCorrelatorLifecycleTests() => checkout = state.AddDeployment("team-a", "shop", "checkout", 3);

    private ObjectRef Pod => checkout.Pods[0];

    private IReadOnlyList<IncidentChange> Crash(IncidentCorrelator correlator, double atSeconds, Severity severity = Severity.Error) =>
        correlator.Evaluate(Pod, [Fleet.Finding(Pod, IncidentCategory.CrashLoop, severity)], state.At(Fleet.T0.AddSeconds(atSeconds)));

    private IReadOnlyList<IncidentChange> Clear(IncidentCorrelator correlator, double atSeconds) =>
        correlator.Evaluate(Pod, [], state.At(Fleet.T0.AddSeconds(atSeconds)));

    [Fact]
    public void Evaluate_FirstFinding_OpensRevisionOne()
    {
        var correlator = new IncidentCorrelator(new CorrelationOptions());

        var change = Assert.Single(Crash(correlator, 0));

        Assert.Equal(IncidentChangeKind.Opened, change.Kind);
        Assert.Equal(IncidentState.Open, change.Incident.State);
        Assert.Equal(1, change.Incident.Revision);
        Assert.StartsWith("inc-", change.Key, StringComparison.Ordinal);
        Assert.Equal(Fleet.T0, change.Incident.OpenedAt.ToDateTimeOffset());
        Assert.True(Assert.Single(change.Incident.Signals).Active);
    }

    [Fact]
    public void Evaluate_SameFindingRepeated_NoChange()
    {
        var correlator = new IncidentCorrelator(new CorrelationOptions());
        Crash(correlator, 0);

        var repeats = Enumerable.Range(1, 50).SelectMany(i => Crash(correlator, i * 10)).ToList();

        Assert.Empty(repeats);
        Assert.Equal(1, Assert.Single(correlator.Incidents()).Revision);
    }

    [Fact]
    public void Evaluate_SeverityRises_UpdatedAtOnceWithNextRevision()
    {
        var correlator = new IncidentCorrelator(new CorrelationOptions());
        Crash(correlator, 0, Severity.Warning);

        var change = Assert.Single(Crash(correlator, 1, Severity.Critical));

        Assert.Equal(IncidentChangeKind.Updated, change.Kind);
        Assert.Equal(2, change.Incident.Revision);
        Assert.Equal(Severity.Critical, change.Incident.Severity);
    }

    [Fact]
    public void Evaluate_FindingClearsWithinQuietPeriod_ResolvesOnceThePeriodPasses()
    {
        var options = new CorrelationOptions { ResolveAfter = TimeSpan.FromMinutes(5) };
        var correlator = new IncidentCorrelator(options);
        var opened = Assert.Single(Crash(correlator, 0));

        var onClear = Clear(correlator, 30);
        var beforeQuiet = correlator.Advance(Fleet.T0.AddSeconds(30).Add(options.ResolveAfter).AddSeconds(-1));
        var resolved = Assert.Single(correlator.Advance(Fleet.T0.AddSeconds(30).Add(options.ResolveAfter)));

        Assert.Empty(onClear);
        Assert.Empty(beforeQuiet);
        Assert.Equal(IncidentChangeKind.Resolved, resolved.Kind);
        Assert.Equal(opened.Key, resolved.Key);
        Assert.Equal(IncidentState.Resolved, resolved.Incident.State);
        Assert.Equal(Fleet.T0.AddSeconds(30), resolved.Incident.ResolvedAt.ToDateTimeOffset());
        Assert.False(Assert.Single(resolved.Incident.Signals).Active);
        Assert.True(resolved.Incident.Revision > opened.Incident.Revision);
    }

    [Fact]
    public void Evaluate_FindingComesBackWithinQuietPeriod_StaysOpenWithoutNoise()
    {
        var correlator = new IncidentCorrelator(new CorrelationOptions { ResolveAfter = TimeSpan.FromMinutes(5), RefreshInterval = TimeSpan.FromMinutes(1) });
        Crash(correlator, 0);

        var flaps = new List<IncidentChange>();
        for (var t = 10; t < 600; t += 20)
        {
            flaps.AddRange(Clear(correlator, t));
            flaps.AddRange(Crash(correlator, t + 10));
        }

        Assert.Empty(flaps); // it is back where it was published: nothing to tell
        var incident = Assert.Single(correlator.Incidents());
        Assert.Equal(IncidentState.Open, incident.State);
        Assert.Equal(1, incident.Revision);
    }

    [Fact]
    public void Evaluate_ComesBackWithinReopenWindow_SameIdReopened()
    {
        var options = new CorrelationOptions { ResolveAfter = TimeSpan.FromMinutes(5), ReopenWindow = TimeSpan.FromMinutes(30) };
        var correlator = new IncidentCorrelator(options);
        var opened = Assert.Single(Crash(correlator, 0));
        Clear(correlator, 60);
        var resolved = Assert.Single(correlator.Advance(Fleet.T0.AddMinutes(7)));

        var reopened = Assert.Single(Crash(correlator, TimeSpan.FromMinutes(20).TotalSeconds));

        Assert.Equal(IncidentChangeKind.Reopened, reopened.Kind);
        Assert.Equal(opened.Key, reopened.Key);
        Assert.Equal(IncidentState.Open, reopened.Incident.State);
        Assert.Null(reopened.Incident.ResolvedAt);
        Assert.Equal(resolved.Incident.Revision + 1, reopened.Incident.Revision);
        Assert.Equal(opened.Incident.OpenedAt, reopened.Incident.OpenedAt);
    }

    [Fact]
    public void Evaluate_ComesBackAfterReopenWindow_NewIncidentId()
    {
        var options = new CorrelationOptions { ResolveAfter = TimeSpan.FromMinutes(5), ReopenWindow = TimeSpan.FromMinutes(30) };
        var correlator = new IncidentCorrelator(options);
        var opened = Assert.Single(Crash(correlator, 0));
        Clear(correlator, 60);
        correlator.Advance(Fleet.T0.AddMinutes(7));

        var again = Assert.Single(Crash(correlator, TimeSpan.FromMinutes(45).TotalSeconds));

        Assert.Equal(IncidentChangeKind.Opened, again.Kind);
        Assert.NotEqual(opened.Key, again.Key);
        Assert.Equal(opened.Incident.Fingerprint, again.Incident.Fingerprint);
        Assert.Equal(1, again.Incident.Revision);
        Assert.Single(correlator.Incidents());
    }

    [Fact]
    public void Evaluate_MorePodsOfAnAffectedWorkload_RefreshIsRateLimited()
    {
        var correlator = new IncidentCorrelator(new CorrelationOptions { RefreshInterval = TimeSpan.FromMinutes(1) });
        Crash(correlator, 0);

        var quick = checkout.Pods.Skip(1).SelectMany(p => correlator.Evaluate(p, [Fleet.Finding(p, IncidentCategory.CrashLoop)], state.At(Fleet.T0.AddSeconds(10)))).ToList();
        var early = correlator.Advance(Fleet.T0.AddSeconds(59));
        var due = Assert.Single(correlator.Advance(Fleet.T0.AddSeconds(60)));
        var after = correlator.Advance(Fleet.T0.AddMinutes(5));

        Assert.Empty(quick);
        Assert.Empty(early);
        Assert.Equal(IncidentChangeKind.Updated, due.Kind);
        Assert.Equal(3, due.Incident.SignalCount);
        Assert.Equal(2, due.Incident.Revision);
        Assert.Empty(after);
    }

    [Fact]
    public void Evaluate_NewEvidenceOnTheSameSignal_PublishedWithTheNextRefresh()
    {
        var correlator = new IncidentCorrelator(new CorrelationOptions { RefreshInterval = TimeSpan.FromMinutes(1) });
        Crash(correlator, 0);
        var withLog = Fleet.Finding(Pod, IncidentCategory.CrashLoop) with { Evidence = ["Pod crashloops", "log: FATAL DEPLOY_ENV is not set"] };

        var atOnce = correlator.Evaluate(Pod, [withLog], state.At(Fleet.T0.AddSeconds(25)));
        var refreshed = correlator.Advance(Fleet.T0.AddSeconds(61));

        Assert.Empty(atOnce);
        var change = Assert.Single(refreshed);
        Assert.Equal(IncidentChangeKind.Updated, change.Kind);
        Assert.Contains(change.Incident.Signals.Single().Evidence, e => e.Summary.Contains("DEPLOY_ENV", StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_OneOfTwoSignalsClears_PublishedWithTheNextRefresh()
    {
        var correlator = new IncidentCorrelator(new CorrelationOptions { RefreshInterval = TimeSpan.FromMinutes(1) });
        var other = checkout.Pods[1];
        correlator.Analyze([Fleet.Finding(Pod, IncidentCategory.CrashLoop), Fleet.Finding(other, IncidentCategory.CrashLoop)], state);

        var onClear = correlator.Analyze([Fleet.Finding(other, IncidentCategory.CrashLoop)], state.At(Fleet.T0.AddSeconds(10)));
        var refresh = Assert.Single(correlator.Advance(Fleet.T0.AddMinutes(1)));

        Assert.Empty(onClear);
        Assert.Equal(IncidentChangeKind.Updated, refresh.Kind);
        Assert.Equal(IncidentState.Open, refresh.Incident.State);
        Assert.False(refresh.Incident.Signals.Single(s => s.Subject.Name == Pod.Name).Active);
        Assert.True(refresh.Incident.Signals.Single(s => s.Subject.Name == other.Name).Active);
    }

    [Fact]
    public void Evaluate_ManySignals_PublishedListBoundedAndCountTotal()
    {
        var state = new InMemoryClusterState(Fleet.T0);
        var big = state.AddDeployment("team-a", "shop", "search", 30);
        var correlator = new IncidentCorrelator(new CorrelationOptions { MaxSignals = 5 });

        var change = Assert.Single(correlator.Analyze(big.Pods.Select(p => Fleet.Finding(p, IncidentCategory.OOMKilled)), state));

        Assert.Equal(5, change.Incident.Signals.Count);
        Assert.Equal(30, change.Incident.SignalCount);
        Assert.Equal(change.Incident.Signals.Count, change.Incident.Signals.Select(s => s.Id).Distinct().Count());
    }

    [Fact]
    public void Evaluate_TwoSourcesReportTheSameFinding_ClearsOnlyWhenBothStop()
    {
        var correlator = new IncidentCorrelator(new CorrelationOptions { ResolveAfter = TimeSpan.FromMinutes(1) });
        var finding = Fleet.Finding(checkout.Deployment, IncidentCategory.RolloutStuck);
        correlator.Evaluate(checkout.Deployment, [finding], state);
        correlator.Evaluate(checkout.ReplicaSet, [finding], state);

        correlator.Evaluate(checkout.ReplicaSet, [], state.At(Fleet.T0.AddSeconds(1)));
        var stillOpen = correlator.Advance(Fleet.T0.AddMinutes(10));
        correlator.Evaluate(checkout.Deployment, [], state.At(Fleet.T0.AddMinutes(11)));
        var resolved = correlator.Advance(Fleet.T0.AddMinutes(12));

        Assert.DoesNotContain(stillOpen, c => c.Kind == IncidentChangeKind.Resolved);
        Assert.Equal(IncidentChangeKind.Resolved, Assert.Single(resolved).Kind);
    }

    [Fact]
    public void Analyze_SecondScanWithoutTheFinding_ClearsIt()
    {
        var correlator = new IncidentCorrelator(new CorrelationOptions { ResolveAfter = TimeSpan.Zero });
        correlator.Analyze([Fleet.Finding(Pod, IncidentCategory.CrashLoop)], state);

        var changes = correlator.Analyze([], state.At(Fleet.T0.AddMinutes(1)));

        Assert.Equal(IncidentChangeKind.Resolved, Assert.Single(changes).Kind);
    }

    [Fact]
    public void Evaluate_FindingMovesToAnotherRoot_OldIncidentClearsNewOneOpens()
    {
        var correlator = new IncidentCorrelator(new CorrelationOptions { ResolveAfter = TimeSpan.Zero });
        var node = Fleet.Node("worker-3");
        var first = Assert.Single(Crash(correlator, 0));

        var changes = correlator.Evaluate(Pod, [Fleet.Finding(Pod, IncidentCategory.CrashLoop, cause: node)], state.At(Fleet.T0.AddSeconds(5)));

        Assert.Equal(2, changes.Count);
        Assert.Contains(changes, c => c.Kind == IncidentChangeKind.Opened && c.Incident.Subject.Kind == "Node");
        Assert.Contains(changes, c => c.Kind == IncidentChangeKind.Resolved && c.Key == first.Key);
    }

    [Fact]
    public void Evaluate_StateTimeGoesBack_CorrelatesAtTheLatestTime()
    {
        var correlator = new IncidentCorrelator(new CorrelationOptions());
        Crash(correlator, 100);

        var change = Assert.Single(correlator.Evaluate(Pod, [Fleet.Finding(Pod, IncidentCategory.CrashLoop, Severity.Critical)], state.At(Fleet.T0)));

        Assert.Equal(Fleet.T0.AddSeconds(100), change.Incident.UpdatedAt.ToDateTimeOffset());
    }

    [Fact]
    public void Evaluate_TwoIdenticalRuns_SameRecords()
    {
        static List<IncidentChange> Run()
        {
            var state = new InMemoryClusterState(Fleet.T0);
            var node = Fleet.Node("worker-2");
            var api = state.AddDeployment("team-a", "apps", "api", 4, twins: true);
            var web = state.AddDeployment("team-b", "apps", "web", 4, twins: true);
            var correlator = new IncidentCorrelator(new CorrelationOptions { ResolveAfter = TimeSpan.FromMinutes(2), RefreshInterval = TimeSpan.FromSeconds(30) });
            var changes = new List<IncidentChange>();
            var t = 0;
            foreach (var pod in api.Pods.Concat(web.Pods))
            {
                state.At(Fleet.T0.AddSeconds(t += 7));
                changes.AddRange(correlator.Evaluate(pod, [Fleet.Finding(pod, pod.Cluster == "team-a" ? IncidentCategory.CrashLoop : IncidentCategory.NodePressure, cause: pod.Cluster == "team-a" ? null : node)], state));
            }

            foreach (var pod in api.Pods)
            {
                state.At(Fleet.T0.AddSeconds(t += 7));
                changes.AddRange(correlator.Evaluate(pod, [], state));
            }

            changes.AddRange(correlator.Advance(Fleet.T0.AddMinutes(10)));
            return changes;
        }

        var first = Run();
        var second = Run();

        Assert.True(first.Count >= 4, $"expected opens, refreshes and a resolve, got {first.Count}");
        Assert.Equal(first.Select(c => (c.Kind, c.Key)), second.Select(c => (c.Kind, c.Key)));
        Assert.Equal(first.Select(c => c.Incident), second.Select(c => c.Incident));
        Assert.Equal(2, first.Select(c => c.Key).Distinct().Count());
    }
}
