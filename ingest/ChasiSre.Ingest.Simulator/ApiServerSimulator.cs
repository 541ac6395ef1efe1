using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Ingest.Simulator;

/// <summary>
/// A simulated Kubernetes API server for one cluster: an in-process Kestrel server on
/// 127.0.0.1 (plain HTTP, a free port) that serves discovery, list (with selectors and
/// pagination), watch (with resourceVersion resume, bookmarks, 410 after compaction), get,
/// server-side tables and pod logs over objects of any kind held as JSON, and the writes:
/// create, update, merge/JSON/strategic/apply patch, delete, <c>status</c> and <c>scale</c>, each
/// with <c>dryRun=All</c> and resourceVersion conflicts. Objects change through HTTP writes or
/// <see cref="Apply"/> and <see cref="Delete"/>; the simulator runs no controllers.
/// KubernetesClient and kubectl work against it unchanged.
/// </summary>
public sealed class ApiServerSimulator : IAsyncDisposable
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    private readonly ApiServerSimulatorOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ObjectStore _store;
    private readonly PodLogStore _logs = new();
    private readonly ApiRequestHandler _handler;
    private readonly CustomResourceDefinitions _definitions;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private WebApplication? _app;
    private int _port;
    private bool _disposed;

    private ApiServerSimulator(ApiServerSimulatorOptions options)
    {
        _options = options;
        _loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<ApiServerSimulator>();
        _store = new ObjectStore(options.WatchHistoryLimit);
        Resources = new ResourceCatalog();
        Requests = new SimulatorRequestCounters();
        Faults = new SimulatorFaults(DropWatches, EndWatches);
        _definitions = new CustomResourceDefinitions(_store, Resources, options.TimeProvider);
        _handler = new ApiRequestHandler(_store, Resources, _logs, Faults, Requests, options, _logger, () => $"127.0.0.1:{_port}", _definitions);
        BaseAddress = new Uri("http://127.0.0.1/");
    }

    public string ClusterName => _options.ClusterName;

    /// <summary><c>http://127.0.0.1:PORT/</c>; the port stays the same across <see cref="RestartAsync"/>.</summary>
    public Uri BaseAddress { get; private set; }

    public ResourceCatalog Resources { get; }

    public SimulatorFaults Faults { get; }

    public SimulatorRequestCounters Requests { get; }

    /// <summary>The current (global, etcd-like) resourceVersion.</summary>
    public long ResourceVersion => _store.ResourceVersion;

    /// <summary>Starts a simulator on 127.0.0.1 and a free port.</summary>
    /// <exception cref="ValidationException">The options are invalid.</exception>
    public static async Task<ApiServerSimulator> StartAsync(ApiServerSimulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ApiServerSimulatorOptions();
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        var simulator = new ApiServerSimulator(options);
        try
        {
            await simulator.ListenAsync(0, cancellationToken);
        }
        catch
        {
            await simulator.DisposeAsync();
            throw;
        }

        simulator._logger.Started(simulator.ClusterName, simulator.BaseAddress);
        return simulator;
    }

    /// <summary>
    /// Creates or replaces an object (status included, as given). The server sets
    /// metadata.resourceVersion and generation (bumped when spec changes), and metadata.uid
    /// and creationTimestamp when absent (kept from the stored object on replace). A namespaced
    /// object without a namespace goes to <c>default</c>. Watchers get ADDED or MODIFIED. A CustomResourceDefinition is
    /// validated, then served (its kinds appear in discovery and REST) and established.
    /// </summary>
    /// <returns>A copy of what is stored.</returns>
    /// <exception cref="UnknownKindException">The apiVersion/kind is not registered.</exception>
    /// <exception cref="ArgumentException">The object has no apiVersion, kind or metadata.name, or its scope is wrong, or it is an invalid CustomResourceDefinition.</exception>
    public JsonObject Apply(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var apiVersion = RequiredString(obj, "apiVersion");
        var kind = RequiredString(obj, "kind");
        var type = Resources.GetByKind(apiVersion, kind);
        var copy = obj.DeepClone().AsObject();
        if (copy["metadata"] is not JsonObject metadata || metadata["name"]?.GetValue<string>() is not { Length: > 0 } name)
        {
            throw new ArgumentException($"{kind} has no metadata.name.", nameof(obj));
        }

        if (type.Namespaced)
        {
            if (metadata["namespace"]?.GetValue<string>() is not { Length: > 0 })
            {
                metadata["namespace"] = "default";
            }
        }
        else if (metadata["namespace"]?.GetValue<string>() is { Length: > 0 } ns)
        {
            throw new ArgumentException($"{kind} {name} is cluster-scoped but has metadata.namespace '{ns}'.", nameof(obj));
        }

        var storageType = StorageType(type);
        if (storageType != type)
        {
            copy = EventConversion.ToCore(copy);
        }

        if (CustomResourceDefinitions.IsDefinition(type) && _definitions.Validate(copy) is { Count: > 0 } invalid)
        {
            throw new ArgumentException($"CustomResourceDefinition {name} is invalid: {string.Join("; ", invalid.Select(c => $"{c.Field}: {c.Message}"))}", nameof(obj));
        }

        var (stored, _) = _store.Put(storageType, copy, _options.TimeProvider.GetUtcNow());
        if (CustomResourceDefinitions.IsDefinition(type))
        {
            _definitions.Established(stored.Object);
            return Get(apiVersion, kind, null, name)!;
        }

        return Present(stored, type);
    }

    /// <summary>Deletes an object; watchers get DELETED with its last state at a new resourceVersion. Deleting a
    /// CustomResourceDefinition deletes its custom resources and stops serving them.</summary>
    /// <returns>False when there was no such object.</returns>
    public bool Delete(string apiVersion, string kind, string? @namespace, string name)
    {
        var type = Resources.GetByKind(apiVersion, kind);
        var removed = _store.Remove(StorageType(type), @namespace, name) is not null;
        if (removed && CustomResourceDefinitions.IsDefinition(type))
        {
            _definitions.Removed(name);
        }

        return removed;
    }

    /// <summary>A copy of the stored object in the given apiVersion, or null.</summary>
    public JsonObject? Get(string apiVersion, string kind, string? @namespace, string name)
    {
        var type = Resources.GetByKind(apiVersion, kind);
        return _store.Find(StorageType(type), @namespace, name) is { } stored ? Present(stored, type) : null;
    }

    /// <summary>Copies of every object of a kind, in namespace/name order.</summary>
    public IReadOnlyList<JsonObject> List(string apiVersion, string kind)
    {
        var type = Resources.GetByKind(apiVersion, kind);
        var (_, items, _) = _store.List(StorageType(type), null, static _ => true, null, int.MaxValue);
        return items.Select(s => Present(s, type)).ToList();
    }

    /// <summary>
    /// Sets the log of a pod container served by <c>.../pods/{pod}/log</c>; <paramref name="previous"/>
    /// selects the previous (terminated) instance, served with <c>previous=true</c>.
    /// </summary>
    public void SetLogs(string @namespace, string pod, string container, bool previous, IEnumerable<string> lines)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        ArgumentException.ThrowIfNullOrEmpty(pod);
        ArgumentException.ThrowIfNullOrEmpty(container);
        ArgumentNullException.ThrowIfNull(lines);
        _logs.Set(@namespace, pod, container, previous, lines.ToList(), _options.TimeProvider.GetUtcNow());
    }

    /// <summary>
    /// Simulates an apiserver restart: every open connection and watch is aborted, the server
    /// stops listening, then listens again on the same port. The store (etcd) survives.
    /// </summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var aborted = await StopServerAsync(cancellationToken);
            await ListenAsync(_port, cancellationToken);
            _logger.Restarted(ClusterName, BaseAddress, aborted);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// etcd compaction at the current resourceVersion: a watch from an older resourceVersion
    /// gets an ERROR event with a 410 Expired Status, a list with an older continue token HTTP 410.
    /// </summary>
    public void Compact() => _logger.Compacted(ClusterName, _store.Compact());

    /// <summary>Writes a kubeconfig (cluster, context and user named after the cluster) that points at <see cref="BaseAddress"/>.</summary>
    /// <returns><paramref name="path"/>.</returns>
    public string WriteKubeconfig(string path, string? @namespace = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var server = BaseAddress.GetLeftPart(UriPartial.Authority);
        var yaml = new StringBuilder()
            .Append("apiVersion: v1\n")
            .Append("kind: Config\n")
            .Append("clusters:\n")
            .Append($"- name: {ClusterName}\n")
            .Append("  cluster:\n")
            .Append($"    server: {server}\n")
            .Append("contexts:\n")
            .Append($"- name: {ClusterName}\n")
            .Append("  context:\n")
            .Append($"    cluster: {ClusterName}\n")
            .Append($"    user: {ClusterName}-simulator\n");
        if (!string.IsNullOrEmpty(@namespace))
        {
            yaml.Append($"    namespace: {@namespace}\n");
        }

        yaml.Append($"current-context: {ClusterName}\n")
            .Append("users:\n")
            .Append($"- name: {ClusterName}-simulator\n")
            // The simulator does not authenticate; clients (KubernetesClient) insist on some credential.
            .Append("  user:\n")
            .Append("    token: chasi-simulator\n")
            .Append("preferences: {}\n");
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, yaml.ToString());
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await StopServerAsync(CancellationToken.None);
            _logger.Stopped(ClusterName);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private void EndWatches()
    {
        var watchers = _store.Watchers();
        foreach (var watcher in watchers)
        {
            watcher.Complete();
        }

        _logger.WatchesEnded(ClusterName, watchers.Count);
    }

    private void DropWatches()
    {
        var watchers = _store.Watchers();
        foreach (var watcher in watchers)
        {
            watcher.Drop();
        }

        _logger.WatchesDropped(ClusterName, watchers.Count);
    }

    private ResourceType StorageType(ResourceType type) =>
        type.EffectiveStorageKey == type.GroupResource ? type : Resources.GetByKind("v1", type.Kind);

    private static JsonObject Present(StoredObject stored, ResourceType type) =>
        EventConversion.IsEventsGroup(type) ? EventConversion.ToEventsV1(stored.Object, type.ApiVersion) : stored.Object.DeepClone().AsObject();

    private static string RequiredString(JsonObject obj, string field) =>
        obj[field]?.GetValue<string>() is { Length: > 0 } value ? value : throw new ArgumentException($"The object has no {field}.", nameof(obj));

    private async Task ListenAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(ApiServerSimulator).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.AddServerHeader = false;
            // Watches and slow readers are normal here; never drop them for a low data rate.
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.MaxConcurrentConnections = null;
        });
        builder.Services.AddLogging();
        builder.Services.Replace(ServiceDescriptor.Singleton(_loggerFactory));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        var app = builder.Build();
        app.Run(_handler.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var bound = new Uri(address);
        _port = bound.Port;
        BaseAddress = new Uri($"http://127.0.0.1:{_port}/");
        _app = app;
    }

    private async Task<int> StopServerAsync(CancellationToken cancellationToken)
    {
        var app = _app;
        _app = null;
        if (app is null)
        {
            return 0;
        }

        var watchers = _store.Watchers();
        foreach (var watcher in watchers)
        {
            watcher.Drop();
        }

        _handler.AbortAll();
        await app.StopAsync(cancellationToken);
        await app.DisposeAsync();
        return watchers.Count;
    }
}
