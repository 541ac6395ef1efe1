using System.Text.Json.Nodes;
using System.Threading.Channels;
using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Operator;

/// <summary>
/// The operator's hosted service. Every replica competes for a <c>coordination.k8s.io/v1</c> Lease (KubernetesClient's
/// <see cref="LeaderElector"/> over a <see cref="LeaseLock"/>); only the leader watches and reconciles. While leading it
/// lists and watches SreAgents, KnowledgeSources and ActionPolicies (relisting when a watch ends), queues every resource
/// that was added, deleted or whose <c>metadata.generation</c> moved past <c>status.observedGeneration</c> (status-only
/// changes are skipped, so writing status never loops), relists everything every <see cref="OperatorOptions.ResyncInterval"/>
/// (drift correction), and reconciles one resource at a time through <see cref="OperatorReconciler"/>; a failed reconcile
/// is retried with backoff (1 s doubling to 5 min). Losing the Lease stops the work at once; the replica then competes again.
/// Ready (health check) when leading or following; not before the first election round.
/// </summary>
public sealed class OperatorController(
    IKubernetes client,
    OperatorReconciler reconciler,
    IOptions<OperatorOptions> options,
    TimeProvider timeProvider,
    ILogger<OperatorController> logger) : BackgroundService, IHealthCheck
{
    private readonly OperatorOptions _options = options.Value;
    private readonly Lock _gate = new();
    private readonly HashSet<WorkItem> _pending = [];
    private readonly Dictionary<WorkItem, int> _failures = [];
    private Channel<WorkItem> _queue = Channel.CreateUnbounded<WorkItem>();
    private volatile bool _leading;
    private volatile bool _elected;
    private CancellationTokenSource? _leadership;
    private Task _work = Task.CompletedTask;
    private long _reconciled;

    /// <summary>This replica's identity in the Lease.</summary>
    public string Identity { get; } = options.Value.Identity is { Length: > 0 } id ? id : Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } pod ? pod : Environment.MachineName;

    /// <summary>True while this replica holds the Lease and reconciles.</summary>
    public bool IsLeader => _leading;

    /// <summary>Reconciles completed since start (successful or not), for tests and diagnostics.</summary>
    public long Reconciled => Interlocked.Read(ref _reconciled);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_elected
            ? HealthCheckResult.Healthy(_leading ? "leading" : "following")
            : HealthCheckResult.Unhealthy("no election round finished yet"));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var leaseLock = new LeaseLock(client, _options.LeaseNamespace, _options.LeaseName, Identity);
        using var elector = new LeaderElector(new LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = _options.LeaseDuration,
            RenewDeadline = _options.RenewDeadline,
            RetryPeriod = _options.RetryPeriod,
        });
        elector.OnStartedLeading += () =>
        {
            lock (_gate)
            {
                _leading = true;
                _elected = true;
                OperatorTelemetry.Leader.Add(1);
                logger.StartedLeading(Identity, _options.LeaseNamespace, _options.LeaseName);
                _leadership = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                _queue = Channel.CreateUnbounded<WorkItem>();
                _pending.Clear();
                _work = LeadAsync(_leadership.Token);
            }
        };
        elector.OnStoppedLeading += () =>
        {
            lock (_gate)
            {
                if (_leading)
                {
                    OperatorTelemetry.Leader.Add(-1);
                }

                _leading = false;
                _leadership?.Cancel();
                logger.StoppedLeading(Identity);
            }
        };
        elector.OnNewLeader += leader =>
        {
            _elected = true;
            logger.NewLeader(leader);
        };
        elector.OnError += e => logger.ElectionFailed(e);

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await elector.RunUntilLeadershipLostAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is HttpRequestException or HttpOperationException or KubernetesException or IOException)
            {
                // The API server is unreachable or refused the Lease: not leading; try again after a retry period.
                logger.ElectionFailed(ex);
                await Task.Delay(_options.RetryPeriod, timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            finally
            {
                CancellationTokenSource? leadership;
                lock (_gate)
                {
                    leadership = _leadership;
                    _leadership = null;
                    if (_leading)
                    {
                        OperatorTelemetry.Leader.Add(-1);
                    }

                    _leading = false;
                }

                if (leadership is not null)
                {
                    await leadership.CancelAsync().ConfigureAwait(false);
                    // The leader's own work, started in OnStartedLeading on this elector's loop.
#pragma warning disable VSTHRD003
                    await _work.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
#pragma warning restore VSTHRD003
                    leadership.Dispose();
                }
            }
        }
    }

    private async Task LeadAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        var loops = ChasiResources.Kinds.Select(kind => WatchLoopAsync(kind, cancellationToken)).ToList();
        loops.Add(ResyncLoopAsync(cancellationToken));
        loops.Add(WorkLoopAsync(cancellationToken));
        try
        {
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Leadership lost or the host stops.
        }
    }

    private async Task WatchLoopAsync(string kind, CancellationToken cancellationToken)
    {
        var ns = _options.WatchNamespace.Length > 0 ? _options.WatchNamespace : null;
        var backoff = TimeSpan.FromSeconds(1);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var kube = new KubeObjectClient(client, _options.FieldManager);
                var (items, resourceVersion) = await kube.ListAsync(kind, ns, cancellationToken).ConfigureAwait(false);
                foreach (var item in items)
                {
                    Enqueue(WorkItem.Of(kind, item, null));
                }

                Exception? failure = null;
                await foreach (var (type, obj) in kube.WatchAsync(kind, ns, resourceVersion, e => failure = e, cancellationToken).ConfigureAwait(false))
                {
                    switch (type)
                    {
                        case WatchEventType.Added:
                            Enqueue(WorkItem.Of(kind, obj, null));
                            break;
                        case WatchEventType.Modified when GenerationMoved(obj):
                            Enqueue(WorkItem.Of(kind, obj, null));
                            break;
                        case WatchEventType.Deleted:
                            Enqueue(WorkItem.Of(kind, obj, obj));
                            break;
                    }
                }

                if (failure is not null)
                {
                    throw failure;
                }

                logger.WatchEnded(kind);
                backoff = TimeSpan.FromSeconds(1);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpOperationException or HttpRequestException or KubernetesException or IOException or System.Text.Json.JsonException)
            {
                logger.WatchFailed(ex, kind);
                await Task.Delay(backoff, timeProvider, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));
            }
        }
    }

    private async Task ResyncLoopAsync(CancellationToken cancellationToken)
    {
        var ns = _options.WatchNamespace.Length > 0 ? _options.WatchNamespace : null;
        using var timer = new PeriodicTimer(_options.ResyncInterval, timeProvider);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var kind in ChasiResources.Kinds)
            {
                try
                {
                    var (items, _) = await new KubeObjectClient(client, _options.FieldManager).ListAsync(kind, ns, cancellationToken).ConfigureAwait(false);
                    foreach (var item in items)
                    {
                        Enqueue(WorkItem.Of(kind, item, null));
                    }
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpOperationException or HttpRequestException)
                {
                    logger.WatchFailed(ex, kind);
                }
            }
        }
    }

    private async Task WorkLoopAsync(CancellationToken cancellationToken)
    {
        var queue = _queue;
        await foreach (var item in queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            lock (_gate)
            {
                _pending.Remove(item);
            }

            try
            {
                await reconciler.ReconcileAsync(item.Kind, item.Namespace, item.Name, item.LastKnown, cancellationToken).ConfigureAwait(false);
                lock (_gate)
                {
                    _failures.Remove(item);
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The per-resource boundary: log, back off, retry; the other resources go on.
                int attempts;
                lock (_gate)
                {
                    _failures[item] = attempts = _failures.GetValueOrDefault(item) + 1;
                }

                var delay = TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, Math.Min(attempts - 1, 9))));
                logger.ReconcileFailed(ex, item.Kind, item.Namespace, item.Name, delay);
                _ = RetryLaterAsync(item, delay, cancellationToken);
            }
            finally
            {
                Interlocked.Increment(ref _reconciled);
            }
        }
    }

    private async Task RetryLaterAsync(WorkItem item, TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            Enqueue(item);
        }
        catch (OperationCanceledException)
        {
            // Leadership lost: the next leader relists.
        }
    }

    private void Enqueue(WorkItem item)
    {
        lock (_gate)
        {
            // A deletion replaces a queued reconcile of the same resource; duplicates collapse.
            if (_pending.Add(item) || item.LastKnown is not null)
            {
                _queue.Writer.TryWrite(item);
            }
        }
    }

    private static bool GenerationMoved(JsonObject obj) =>
        obj["metadata"]?["generation"]?.GetValue<long>() != obj["status"]?["observedGeneration"]?.GetValue<long>();

    /// <summary>One queued resource; equal by kind, namespace and name.</summary>
    private sealed record WorkItem(string Kind, string Namespace, string Name)
    {
        public JsonObject? LastKnown { get; init; }

        public static WorkItem Of(string kind, JsonObject obj, JsonObject? lastKnown)
        {
            obj["apiVersion"] ??= ChasiResources.ApiVersion;
            obj["kind"] ??= kind;
            return new WorkItem(kind, obj["metadata"]!["namespace"]!.GetValue<string>(), obj["metadata"]!["name"]!.GetValue<string>()) { LastKnown = lastKnown };
        }

        public bool Equals(WorkItem? other) => other is not null && Kind == other.Kind && Namespace == other.Namespace && Name == other.Name;

        public override int GetHashCode() => HashCode.Combine(Kind, Namespace, Name);
    }
}
