using System.Security.Cryptography;
using System.Text.Json;
using ChasiSre.Schemas.V1;
using Google.Protobuf.WellKnownTypes;
using k8s;
using Microsoft.Extensions.Logging;

namespace ChasiSre.Ingest;

/// <summary>
/// Finds vClusters from what the host watcher sees and watches each of them, per VCLUSTER.md:
/// a StatefulSet or Deployment labelled <c>app=vcluster</c> names a vCluster by its <c>release</c>
/// label; the Secret <c>vc-&lt;name&gt;</c> in the same namespace holds its kubeconfig; the API is
/// reached at <c>https://&lt;name&gt;.&lt;namespace&gt;:443</c> (the serving certificate's SAN) unless
/// configured otherwise. A new vCluster starts a <see cref="ClusterWatch"/>; a rotated secret
/// swaps its credentials without a relist; a deleted vCluster stops its watch and tombstones
/// its objects; a paused one (<c>loft.sh/paused=true</c>) is not watched. A vCluster that cannot
/// be reached, or whose credentials are missing or invalid, for <see cref="IngestOptions.UnreachableAfter"/>
/// becomes a <c>VClusterUnreachable</c> signal on <c>chasi.alerts.v1</c> (and a clearing signal
/// when it recovers) — never an exception.
/// </summary>
public sealed class VClusterDiscovery : IAsyncDisposable
{
    /// <summary>The detector name on unreachable signals.</summary>
    public const string UnreachableDetector = "ingest.vcluster_unreachable";

    private readonly ClusterIdentity host;
    private readonly IIngestSink sink;
    private readonly TenantResolver tenants;
    private readonly IngestOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILoggerFactory loggerFactory;
    private readonly ILogger logger;
    private readonly Dictionary<string, VCluster> vclusters = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>Creates discovery for the host cluster <paramref name="host"/>.</summary>
    public VClusterDiscovery(ClusterIdentity host, IIngestSink sink, TenantResolver tenants, IngestOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        this.host = host;
        this.sink = sink;
        this.tenants = tenants;
        this.options = options;
        this.timeProvider = timeProvider;
        this.loggerFactory = loggerFactory;
        logger = loggerFactory.CreateLogger<VClusterDiscovery>();
    }

    /// <summary>The vCluster watches running now.</summary>
    public IReadOnlyList<ClusterWatch> Clusters
    {
        get
        {
            gate.Wait();
            try
            {
                return [.. vclusters.Values.Select(v => v.Watch).OfType<ClusterWatch>()];
            }
            finally
            {
                gate.Release();
            }
        }
    }

    /// <summary>Looks at a host change (the host <see cref="ClusterWatch"/>'s observer).</summary>
    public async ValueTask ObserveAsync(ResourceChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var resource = change.Resource;
        if (resource != KubeResources.StatefulSets && resource != KubeResources.Deployments && resource != KubeResources.Secrets)
        {
            return;
        }

        var metadata = change.Value.Get("metadata");
        var ns = metadata.Text("namespace");
        var name = metadata.Text("name");
        if (ns is null || name is null)
        {
            return;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            if (resource == KubeResources.Secrets)
            {
                ObserveSecret(ns, name, change);
            }
            else
            {
                ObserveWorkload(ns, name, change);
            }

            foreach (var vcluster in vclusters.Values.Where(v => v.Namespace == ns).ToList())
            {
                await ReconcileAsync(vcluster, cancellationToken);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Watches the vClusters' health and publishes unreachable / reachable-again signals until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var period = TimeSpan.FromTicks(Math.Clamp(options.UnreachableAfter.Ticks / 3, TimeSpan.FromMilliseconds(200).Ticks, TimeSpan.FromSeconds(10).Ticks));
        using var timer = new PeriodicTimer(period, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await gate.WaitAsync(cancellationToken);
                try
                {
                    foreach (var vcluster in vclusters.Values)
                    {
                        await CheckHealthAsync(vcluster, cancellationToken);
                    }
                }
                finally
                {
                    gate.Release();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await gate.WaitAsync();
        try
        {
            foreach (var vcluster in vclusters.Values)
            {
                if (vcluster.Watch is { } watch)
                {
                    await watch.DisposeAsync();
                    vcluster.Watch = null;
                }
            }
        }
        finally
        {
            gate.Release();
        }

        gate.Dispose();
    }

    private void ObserveWorkload(string ns, string name, ResourceChange change)
    {
        var labels = change.Value.Get("metadata").Get("labels");
        var release = labels.Text(VClusterNaming.ReleaseLabel);
        var isVCluster = labels.Text(VClusterNaming.AppLabel) == VClusterNaming.AppLabelValue;
        var key = $"{ns}/{release ?? name}";
        if (!vclusters.TryGetValue(key, out var vcluster))
        {
            if (change.Deleted || !isVCluster)
            {
                return;
            }

            vcluster = new VCluster(ns, release ?? name, timeProvider.GetUtcNow());
            vclusters[key] = vcluster;
        }

        if (change.Deleted || !isVCluster)
        {
            vcluster.Workloads.Remove(change.Resource.Kind);
            return;
        }

        vcluster.Workloads[change.Resource.Kind] = name;
        vcluster.Paused = change.Value.Get("metadata").Get("annotations").Text(VClusterNaming.PausedAnnotation) == "true";
        vcluster.TenantLabel = labels.Text(TenantResolver.TenantLabel);
    }

    private void ObserveSecret(string ns, string name, ResourceChange change)
    {
        // vc-<name> is the kubeconfig; vc-config-<name> (vcluster.yaml) is not, though it matches the pattern.
        if (!name.StartsWith("vc-", StringComparison.Ordinal) || name.StartsWith("vc-config-", StringComparison.Ordinal))
        {
            return;
        }

        var labelled = change.Value.Get("metadata").Get("labels").Text(VClusterNaming.VClusterNameLabel);
        var vclusterName = labelled ?? name[3..];
        if (VClusterNaming.KubeconfigSecretName(vclusterName) != name)
        {
            return;
        }

        var key = $"{ns}/{vclusterName}";
        if (!vclusters.TryGetValue(key, out var vcluster))
        {
            if (change.Deleted)
            {
                return;
            }

            // The secret can arrive before the workload; keep it until the workload shows up.
            vcluster = new VCluster(ns, vclusterName, timeProvider.GetUtcNow());
            vclusters[key] = vcluster;
        }

        if (change.Deleted)
        {
            vcluster.Kubeconfig = null;
            return;
        }

        // The secret's data is read here and nowhere else; the published snapshot has key names only.
        var config = change.Value.Get("data").Text("config");
        vcluster.Kubeconfig = config is null ? null : Convert.FromBase64String(config);
    }

    private async Task ReconcileAsync(VCluster vcluster, CancellationToken cancellationToken)
    {
        var key = $"{vcluster.Namespace}/{vcluster.Name}";
        if (vcluster.Workloads.Count == 0)
        {
            if (vcluster.Watch is { } gone)
            {
                Log.VClusterGone(logger, vcluster.Namespace, vcluster.Name);
                vcluster.Watch = null;
                await gone.RetireAsync(cancellationToken);
                await gone.DisposeAsync();
                await ClearSignalAsync(vcluster, cancellationToken);
            }

            if (vcluster.Kubeconfig is null)
            {
                vclusters.Remove(key);
            }

            tenants.RemoveVCluster(vcluster.Namespace, vcluster.Name);
            return;
        }

        var tenant = vcluster.TenantLabel is { Length: > 0 } label ? label
            : tenants.TenantFromNamespaceName(vcluster.Namespace) is { Length: > 0 } fromName ? fromName
            : vcluster.Name;
        tenants.SetVCluster(vcluster.Namespace, vcluster.Name, tenant);

        if (vcluster.Paused)
        {
            if (vcluster.Watch is { } paused)
            {
                Log.VClusterPaused(logger, vcluster.Namespace, vcluster.Name);
                vcluster.Watch = null;
                await paused.DisposeAsync();
            }

            await ClearSignalAsync(vcluster, cancellationToken);
            return;
        }

        if (vcluster.Kubeconfig is not { } kubeconfig)
        {
            return;
        }

        var hash = Convert.ToHexString(SHA256.HashData(kubeconfig));
        if (vcluster.Watch is not null && hash == vcluster.KubeconfigHash)
        {
            return;
        }

        var endpoint = Endpoint(vcluster);
        KubeApiClient client;
        try
        {
            using var stream = new MemoryStream(kubeconfig, writable: false);
            var configuration = await KubernetesClientConfiguration.BuildConfigFromConfigFileAsync(stream);
            configuration.Host = endpoint;
            client = new KubeApiClient(configuration, options.RequestTimeout);
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or FormatException or YamlDotNet.Core.YamlException or ArgumentException or InvalidOperationException or System.Security.Cryptography.CryptographicException)
        {
            vcluster.CredentialError = e.Message;
            Log.VClusterSecretInvalid(logger, vcluster.Namespace, vcluster.Name, VClusterNaming.KubeconfigSecretName(vcluster.Name), e.Message);
            return;
        }

        vcluster.CredentialError = null;
        vcluster.KubeconfigHash = hash;
        if (vcluster.Watch is { } running)
        {
            Log.VClusterCredentialsRotated(logger, vcluster.Namespace, vcluster.Name);
            running.ReplaceClient(client);
            return;
        }

        Log.VClusterFound(logger, vcluster.Namespace, vcluster.Name, endpoint);
        var identity = ClusterIdentity.VCluster(vcluster.Name, tenant, host.Cluster, vcluster.Namespace);
        vcluster.Watch = new ClusterWatch(identity, client, sink, tenants, options, timeProvider, loggerFactory);
        vcluster.Watch.Start();
    }

    private async Task CheckHealthAsync(VCluster vcluster, CancellationToken cancellationToken)
    {
        if (vcluster.Workloads.Count == 0 || vcluster.Paused)
        {
            return;
        }

        var now = timeProvider.GetUtcNow();
        string? problem = null;
        DateTimeOffset since = now;
        if (vcluster.Watch is { Health.FailingSince: { } failingSince } watch && now - failingSince >= options.UnreachableAfter)
        {
            problem = $"API {Endpoint(vcluster)} unreachable since {failingSince:O}: {watch.Health.LastError}";
            since = failingSince;
        }
        else if (vcluster.Watch is null && now - vcluster.FirstSeen >= options.UnreachableAfter)
        {
            problem = vcluster.CredentialError is { } error
                ? $"secret {VClusterNaming.KubeconfigSecretName(vcluster.Name)} is unusable: {error}"
                : $"secret {VClusterNaming.KubeconfigSecretName(vcluster.Name)} with a kubeconfig not found";
            since = vcluster.FirstSeen;
        }

        if (problem is not null && !vcluster.Signalled)
        {
            Log.VClusterUnreachable(logger, vcluster.Namespace, vcluster.Name, problem);
            vcluster.Signalled = true;
            await sink.PublishSignalAsync(Signal(vcluster, active: true, problem, since, now), cancellationToken);
        }
        else if (problem is null && vcluster.Signalled)
        {
            await ClearSignalAsync(vcluster, cancellationToken);
        }
    }

    private async Task ClearSignalAsync(VCluster vcluster, CancellationToken cancellationToken)
    {
        if (!vcluster.Signalled)
        {
            return;
        }

        vcluster.Signalled = false;
        Log.VClusterReachable(logger, vcluster.Namespace, vcluster.Name);
        var now = timeProvider.GetUtcNow();
        await sink.PublishSignalAsync(Signal(vcluster, active: false, "reachable again", now, now), cancellationToken);
    }

    private Signal Signal(VCluster vcluster, bool active, string message, DateTimeOffset since, DateTimeOffset now)
    {
        var kind = vcluster.Workloads.ContainsKey("StatefulSet") || vcluster.Workloads.Count == 0 ? "StatefulSet" : "Deployment";
        var workload = vcluster.Workloads.TryGetValue(kind, out var workloadName) ? workloadName : vcluster.Name;
        var subject = host.Ref("apps/v1", kind, vcluster.Namespace, workload, null, tenants.TenantOfHostNamespace(vcluster.Namespace));
        var signal = new Signal
        {
            Id = $"{UnreachableDetector}/{RecordKeysFor(subject)}/{since.ToUnixTimeMilliseconds()}",
            Detector = UnreachableDetector,
            Subject = subject,
            Severity = Severity.Error,
            Reason = "VClusterUnreachable",
            Category = "VClusterControlPlane",
            Message = $"vCluster {vcluster.Name} in {vcluster.Namespace}: {message}",
            FirstSeen = Timestamp.FromDateTimeOffset(since),
            LastSeen = Timestamp.FromDateTimeOffset(now),
            Score = 1,
            Active = active,
        };
        signal.Attributes["vcluster"] = vcluster.Name;
        signal.Attributes["host_namespace"] = vcluster.Namespace;
        signal.Attributes["endpoint"] = Endpoint(vcluster);
        return signal;
    }

    private static string RecordKeysFor(ObjectRef subject) => Schemas.RecordKeys.ForObject(subject);

    private string Endpoint(VCluster vcluster) =>
        options.VClusterEndpoints.TryGetValue($"{vcluster.Namespace}/{vcluster.Name}", out var configured)
            ? configured
            : options.VClusterEndpointTemplate.Replace("{name}", vcluster.Name, StringComparison.Ordinal).Replace("{namespace}", vcluster.Namespace, StringComparison.Ordinal);

    private sealed class VCluster(string ns, string name, DateTimeOffset firstSeen)
    {
        public string Namespace { get; } = ns;

        public string Name { get; } = name;

        public DateTimeOffset FirstSeen { get; } = firstSeen;

        /// <summary>Kind (StatefulSet, Deployment) to workload name.</summary>
        public Dictionary<string, string> Workloads { get; } = new(StringComparer.Ordinal);

        public bool Paused { get; set; }

        public string? TenantLabel { get; set; }

        public byte[]? Kubeconfig { get; set; }

        public string? KubeconfigHash { get; set; }

        public string? CredentialError { get; set; }

        public ClusterWatch? Watch { get; set; }

        public bool Signalled { get; set; }
    }
}
