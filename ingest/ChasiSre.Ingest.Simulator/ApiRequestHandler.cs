using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace ChasiSre.Ingest.Simulator;

/// <summary>
/// Serves one HTTP request of the Kubernetes API against the store: discovery, list, watch,
/// get, pod logs and health, and writes through <see cref="ApiWriteHandler"/>, after counting
/// it and applying the configured faults.
/// </summary>
internal sealed class ApiRequestHandler
{
    private const int ListFlushBytes = 64 * 1024;
    private static readonly byte[] Newline = "\n"u8.ToArray();

    private readonly ObjectStore _store;
    private readonly ResourceCatalog _catalog;
    private readonly PodLogStore _logs;
    private readonly SimulatorFaults _faults;
    private readonly SimulatorRequestCounters _counters;
    private readonly ApiServerSimulatorOptions _options;
    private readonly ILogger _logger;
    private readonly Func<string> _serverAddress;
    // The lifetime feature is captured when the request starts: once a request completes, its pooled HttpContext resets
    // its feature cache, and Abort() through the context can then throw (seen as a NullReferenceException in shutdown).
    private readonly ConcurrentDictionary<HttpContext, IHttpRequestLifetimeFeature> _active = new();
    private readonly ApiWriteHandler _writes;

    public ApiRequestHandler(ObjectStore store, ResourceCatalog catalog, PodLogStore logs, SimulatorFaults faults, SimulatorRequestCounters counters, ApiServerSimulatorOptions options, ILogger logger, Func<string> serverAddress, CustomResourceDefinitions definitions)
    {
        _store = store;
        _catalog = catalog;
        _logs = logs;
        _faults = faults;
        _counters = counters;
        _options = options;
        _logger = logger;
        _serverAddress = serverAddress;
        _writes = new ApiWriteHandler(store, catalog, options, logger, definitions);
    }

    /// <summary>Aborts every request in flight (apiserver restart).</summary>
    public void AbortAll()
    {
        foreach (var lifetime in _active.Values)
        {
            try
            {
                lifetime.Abort();
            }
            catch (ObjectDisposedException)
            {
                // The request completed between being listed and being aborted: nothing left to abort.
            }
        }
    }

    public async Task HandleAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpRequestLifetimeFeature>() is { } lifetime)
        {
            _active.TryAdd(context, lifetime);
        }

        try
        {
            await HandleCoreAsync(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away or the connection was aborted (DropWatches, restart): nothing left to answer.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            _logger.RequestFailed(ex, context.Request.Method, context.Request.Path.Value ?? "");
            await WriteJsonAsync(context, ApiStatus.Failure(500, "InternalError", $"Internal error occurred: {ex.Message}"), context.RequestAborted);
        }
        finally
        {
            _active.TryRemove(context, out _);
        }
    }

    private async Task HandleCoreAsync(HttpContext context)
    {
        var request = context.Request;
        var ct = context.RequestAborted;
        var watch = IsTrue(request.Query["watch"]);
        var route = ApiRoute.Parse(request.Method, request.Path.Value ?? "/", watch, _catalog);
        var simulated = new SimulatedRequest(request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? "", route.Verb, route.Type?.GroupResource, route.Namespace, route.Name);
        _counters.Record(simulated);

        if (_faults.Latency is { } latency && latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, _options.TimeProvider, ct);
        }

        if (_faults.TakeFailure(simulated) is { } failure)
        {
            _logger.FailureInjected(failure.StatusCode, request.Method, simulated.Path);
            if (failure.RetryAfter is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = ApiStatus.RetryAfterSeconds(retryAfter).ToString(CultureInfo.InvariantCulture);
            }

            await WriteJsonAsync(context, ApiStatus.Injected(failure.StatusCode, failure.RetryAfter), ct);
            return;
        }

        if (route.Kind != RouteKind.Health && _faults.AcceptedBearerTokens is { Count: > 0 } tokens)
        {
            var authorization = request.Headers.Authorization.ToString();
            if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !tokens.Contains(authorization["Bearer ".Length..]))
            {
                await WriteJsonAsync(context, ApiStatus.Failure(401, "Unauthorized", "Unauthorized"), ct);
                return;
            }
        }

        if (route.Kind == RouteKind.Health)
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("ok", ct);
            return;
        }

        if (ApiWriteHandler.Handles(route, request.Method))
        {
            var (code, answer) = await _writes.HandleAsync(context, route, ct);
            context.Response.StatusCode = code;
            await WriteJsonAsync(context, answer, ct);
            return;
        }

        if (request.Method is not ("GET" or "HEAD") && route.Kind is not RouteKind.NotFound)
        {
            await WriteJsonAsync(context, ApiStatus.MethodNotAllowed(), ct);
            return;
        }

        var discovery = route.Kind is RouteKind.CoreVersions or RouteKind.GroupList or RouteKind.OpenApiRoot or RouteKind.OpenApiGroupVersion;
        var representation = Negotiate(request.Headers.Accept, discovery);
        if (representation == Representation.NotAcceptable)
        {
            await WriteJsonAsync(context, ApiStatus.NotAcceptable(request.Headers.Accept.ToString()), ct);
            return;
        }

        switch (route.Kind)
        {
            case RouteKind.Root:
                await WriteJsonAsync(context, RootPaths(), ct);
                break;
            case RouteKind.OpenApiRoot:
                await WriteJsonAsync(context, OpenApi.Root(_catalog), ct);
                break;
            case RouteKind.OpenApiGroupVersion:
                await WriteJsonAsync(context, OpenApi.GroupVersion(_catalog, route.Group!) ?? ApiStatus.PathNotFound(), ct);
                break;
            case RouteKind.Version:
                await WriteJsonAsync(context, VersionInfo(), ct);
                break;
            case RouteKind.CoreVersions when representation == Representation.AggregatedDiscovery:
                await WriteJsonAsync(context, Discovery.Aggregated(_catalog, core: true), ct, contentType: Discovery.AggregatedContentType);
                break;
            case RouteKind.CoreVersions:
                await WriteJsonAsync(context, Discovery.ApiVersions(_serverAddress()), ct);
                break;
            case RouteKind.GroupList when representation == Representation.AggregatedDiscovery:
                await WriteJsonAsync(context, Discovery.Aggregated(_catalog, core: false), ct, contentType: Discovery.AggregatedContentType);
                break;
            case RouteKind.GroupList:
                await WriteJsonAsync(context, Discovery.GroupList(_catalog), ct);
                break;
            case RouteKind.Group:
                await WriteJsonAsync(context, Discovery.Group(_catalog, route.Group!) ?? ApiStatus.PathNotFound(), ct);
                break;
            case RouteKind.ResourceList:
                await WriteJsonAsync(context, Discovery.ResourceList(_catalog, route.Group!, route.Version!) ?? ApiStatus.PathNotFound(), ct);
                break;
            case RouteKind.Collection when route.Verb == SimulatorVerb.Watch:
                await WatchAsync(context, route, representation, null, ct);
                break;
            case RouteKind.Collection:
                await ListAsync(context, route, representation, ct);
                break;
            case RouteKind.Item when route.Verb == SimulatorVerb.Watch:
                await WatchAsync(context, route, representation, route.Name, ct);
                break;
            case RouteKind.Item:
            case RouteKind.Subresource when route.Subresource == "status":
                await GetAsync(context, route, representation, ct);
                break;
            case RouteKind.Subresource:
                await LogAsync(context, route, ct);
                break;
            default:
                await WriteJsonAsync(context, ApiStatus.PathNotFound(), ct);
                break;
        }
    }

    private async Task GetAsync(HttpContext context, ApiRoute route, Representation representation, CancellationToken ct)
    {
        var type = route.Type!;
        var stored = _store.Find(type, route.Namespace, route.Name!);
        if (stored is null)
        {
            await WriteJsonAsync(context, ApiStatus.NotFound(type, route.Name!), ct);
            return;
        }

        if (representation == Representation.Table)
        {
            var table = Table(type, [stored], stored.ResourceVersion, null, IncludeObject(context.Request, representation));
            await WriteJsonAsync(context, table, ct);
            return;
        }

        context.Response.ContentType = "application/json";
        var writer = new Utf8JsonWriter(context.Response.BodyWriter, SimulatorJson.WriterOptions);
        WriteObject(writer, stored, type, representation);
        await writer.FlushAsync(ct);
    }

    private async Task ListAsync(HttpContext context, ApiRoute route, Representation representation, CancellationToken ct)
    {
        var type = route.Type!;
        var query = context.Request.Query;
        if (!TryFilter(context, type, route.Namespace, null, out var filter, out var error))
        {
            await WriteJsonAsync(context, error, ct);
            return;
        }

        var limit = int.MaxValue;
        if (query["limit"] is { Count: > 0 } limitText && (!int.TryParse(limitText, CultureInfo.InvariantCulture, out limit) || limit < 0))
        {
            await WriteJsonAsync(context, ApiStatus.BadRequest($"invalid limit: {limitText}"), ct);
            return;
        }

        if (limit == 0)
        {
            limit = int.MaxValue;
        }

        (string Namespace, string Name)? after = null;
        long? snapshot = null;
        if (query["continue"] is { Count: > 0 } continueText && continueText.ToString().Length > 0)
        {
            if (query["resourceVersion"] is { Count: > 0 } rv && rv.ToString().Length > 0)
            {
                await WriteJsonAsync(context, ApiStatus.BadRequest("specifying resource version is not allowed when using continue"), ct);
                return;
            }

            if (!ContinueToken.TryDecode(continueText.ToString(), out var token))
            {
                await WriteJsonAsync(context, ApiStatus.BadRequest($"continue key is not valid: {continueText}"), ct);
                return;
            }

            try
            {
                _store.EnsureNotCompacted(token.ResourceVersion);
            }
            catch (GoneException gone)
            {
                await WriteJsonAsync(context, ApiStatus.Gone(gone.Message), ct);
                return;
            }

            after = (token.Namespace, token.Name);
            snapshot = token.ResourceVersion;
        }

        var (currentRv, items, remaining) = _store.List(type, route.Namespace, filter, after, limit);
        var listRv = snapshot ?? currentRv;
        string? next = remaining > 0 && items.Count > 0
            ? ContinueToken.Encode(new ContinueToken(listRv, items[^1].Namespace ?? "", items[^1].Name))
            : null;

        if (representation == Representation.Table)
        {
            var table = Table(type, items, listRv, next, IncludeObject(context.Request, representation));
            if (remaining > 0)
            {
                table["metadata"]!["remainingItemCount"] = remaining;
            }

            await WriteJsonAsync(context, table, ct);
            return;
        }

        context.Response.ContentType = "application/json";
        var body = context.Response.BodyWriter;
        using var writer = new Utf8JsonWriter(body, SimulatorJson.WriterOptions);
        writer.WriteStartObject();
        if (representation == Representation.PartialMetadata)
        {
            writer.WriteString("kind", "PartialObjectMetadataList");
            writer.WriteString("apiVersion", "meta.k8s.io/v1");
        }
        else
        {
            writer.WriteString("kind", type.ListKind);
            writer.WriteString("apiVersion", type.ApiVersion);
        }

        writer.WriteStartObject("metadata");
        writer.WriteString("resourceVersion", listRv.ToString(CultureInfo.InvariantCulture));
        if (next is not null)
        {
            writer.WriteString("continue", next);
            writer.WriteNumber("remainingItemCount", remaining);
        }

        writer.WriteEndObject();
        writer.WriteStartArray("items");
        foreach (var item in items)
        {
            WriteObject(writer, item, type, representation);
            if (writer.BytesPending > ListFlushBytes)
            {
                writer.Flush();
                await body.FlushAsync(ct);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(ct);
    }

    private async Task WatchAsync(HttpContext context, ApiRoute route, Representation representation, string? name, CancellationToken ct)
    {
        var type = route.Type!;
        var query = context.Request.Query;
        if (!TryFilter(context, type, route.Namespace, name, out var filter, out var error))
        {
            await WriteJsonAsync(context, error, ct);
            return;
        }

        long? from = null;
        var rvText = query["resourceVersion"].ToString();
        var sendInitialEvents = IsTrue(query["sendInitialEvents"]);
        if (rvText.Length > 0 && rvText != "0" && !sendInitialEvents)
        {
            if (!long.TryParse(rvText, CultureInfo.InvariantCulture, out var parsed) || parsed < 0)
            {
                await WriteJsonAsync(context, ApiStatus.BadRequest($"invalid resource version: {rvText}"), ct);
                return;
            }

            from = parsed;
        }

        TimeSpan? timeout = null;
        if (query["timeoutSeconds"] is { Count: > 0 } timeoutText)
        {
            if (!int.TryParse(timeoutText, CultureInfo.InvariantCulture, out var seconds) || seconds < 0)
            {
                await WriteJsonAsync(context, ApiStatus.BadRequest($"invalid timeoutSeconds: {timeoutText}"), ct);
                return;
            }

            timeout = seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;
        }

        var bookmarks = IsTrue(query["allowWatchBookmarks"]);
        var includeObject = IncludeObject(context.Request, representation);
        using var watcher = new Watcher(type.EffectiveStorageKey, type.Namespaced ? route.Namespace : null, filter, _options.WatchBufferSize);
        long startRv;
        List<StoredObject> initial;
        List<StoreEvent> replay;
        try
        {
            (startRv, initial, replay) = _store.Watch(watcher, type, from);
        }
        catch (GoneException gone)
        {
            // Like the real apiserver: 200, then one ERROR event carrying a 410 Expired Status.
            context.Response.ContentType = "application/json";
            await using var goneWriter = new Utf8JsonWriter(context.Response.BodyWriter, SimulatorJson.WriterOptions);
            goneWriter.WriteStartObject();
            goneWriter.WriteString("type", "ERROR");
            goneWriter.WritePropertyName("object");
            ApiStatus.Gone(gone.Message).WriteTo(goneWriter);
            goneWriter.WriteEndObject();
            await goneWriter.FlushAsync(ct);
            await context.Response.BodyWriter.WriteAsync(Newline, ct);
            return;
        }

        _logger.WatchOpened(type.GroupResource, route.Namespace ?? "", startRv);
        using var timeoutCts = timeout is { } t ? new CancellationTokenSource(t, _options.TimeProvider) : null;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, watcher.Dropped, timeoutCts?.Token ?? CancellationToken.None);
        // Writes are not cut by timeoutSeconds (a cancelled write aborts the connection); the
        // stream ends at an event boundary instead, as the apiserver's does.
        using var writing = CancellationTokenSource.CreateLinkedTokenSource(ct, watcher.Dropped);
        await using var bookmarkTimer = bookmarks
            ? _options.TimeProvider.CreateTimer(_ => _store.Bookmark(watcher), null, _options.BookmarkInterval, _options.BookmarkInterval)
            : null;
        var sent = 0L;
        try
        {
            context.Response.ContentType = "application/json";
            var body = context.Response.BodyWriter;
            await context.Response.StartAsync(writing.Token);
            using var writer = new EventStreamWriter(body);
            var table = representation == Representation.Table ? new TableContext(type, includeObject) : null;
            foreach (var stored in initial)
            {
                if (timeoutCts?.IsCancellationRequested == true)
                {
                    break;
                }

                WriteEvent(writer, "ADDED", stored, type, representation, table);
                sent++;
                if (writer.Unflushed > ListFlushBytes)
                {
                    await writer.FlushAsync(writing.Token);
                }
            }

            if (sendInitialEvents && bookmarks)
            {
                WriteBookmark(writer, type, startRv, initialEventsEnd: true);
            }

            foreach (var change in replay)
            {
                if (watcher.Project(change) is { } item)
                {
                    WriteItem(writer, item, type, representation, table);
                    sent++;
                }
            }

            await writer.FlushAsync(writing.Token);
            var reader = watcher.Reader;
            while (await reader.WaitToReadAsync(linked.Token))
            {
                while (reader.TryRead(out var item))
                {
                    WriteItem(writer, item, type, representation, table);
                    sent++;
                    if (writer.Unflushed > ListFlushBytes)
                    {
                        await writer.FlushAsync(writing.Token);
                    }
                }

                await writer.FlushAsync(writing.Token);
            }

            if (watcher.Overflowed)
            {
                _logger.WatchOverflowed(type.GroupResource, route.Namespace ?? "", _options.WatchBufferSize);
            }
        }
        catch (OperationCanceledException) when (watcher.Dropped.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            // DropWatches or restart: cut the connection mid-stream, as a load balancer would.
            context.Abort();
        }
        catch (OperationCanceledException) when (timeoutCts?.IsCancellationRequested == true && !ct.IsCancellationRequested)
        {
            // timeoutSeconds elapsed: end the stream cleanly, like the apiserver.
        }
        finally
        {
            _store.Unwatch(watcher);
            _logger.WatchClosed(type.GroupResource, route.Namespace ?? "", sent);
        }
    }

    private async Task LogAsync(HttpContext context, ApiRoute route, CancellationToken ct)
    {
        var type = route.Type!;
        var query = context.Request.Query;
        var pod = _store.Find(type, route.Namespace, route.Name!);
        if (pod is null)
        {
            await WriteJsonAsync(context, ApiStatus.NotFound(type, route.Name!), ct);
            return;
        }

        var containers = Names(pod.Object["spec"]?["containers"]);
        var initContainers = Names(pod.Object["spec"]?["initContainers"]);
        var ephemeral = Names(pod.Object["spec"]?["ephemeralContainers"]);
        var container = query["container"].ToString();
        if (container.Length == 0)
        {
            if (containers.Count != 1)
            {
                var message = $"a container name must be specified for pod {pod.Name}, choose one of: [{string.Join(' ', containers)}]";
                if (initContainers.Count > 0)
                {
                    message += $" or one of the init containers: [{string.Join(' ', initContainers)}]";
                }

                await WriteJsonAsync(context, ApiStatus.BadRequest(message), ct);
                return;
            }

            container = containers[0];
        }
        else if (!containers.Contains(container) && !initContainers.Contains(container) && !ephemeral.Contains(container))
        {
            await WriteJsonAsync(context, ApiStatus.BadRequest($"container {container} is not valid for pod {pod.Name}"), ct);
            return;
        }

        var previous = IsTrue(query["previous"]);
        var log = _logs.Get(pod.Namespace ?? "", pod.Name, container, previous);
        if (log is null)
        {
            var status = ContainerStatus(pod.Object, container);
            if (previous)
            {
                await WriteJsonAsync(context, ApiStatus.BadRequest($"previous terminated container \"{container}\" in pod \"{pod.Name}\" not found"), ct);
                return;
            }

            if (status?["state"]?["waiting"] is JsonObject waiting && status["lastState"]?["terminated"] is null)
            {
                var reason = waiting["reason"]?.GetValue<string>() ?? "";
                await WriteJsonAsync(context, ApiStatus.BadRequest($"container \"{container}\" in pod \"{pod.Name}\" is waiting to start: {reason}"), ct);
                return;
            }
        }

        var lines = log?.Lines ?? [];
        if (query["tailLines"] is { Count: > 0 } tailText)
        {
            if (!int.TryParse(tailText, CultureInfo.InvariantCulture, out var tail) || tail < 0)
            {
                await WriteJsonAsync(context, ApiStatus.BadRequest($"invalid tailLines: {tailText}"), ct);
                return;
            }

            lines = lines.Count > tail ? lines.Skip(lines.Count - tail).ToList() : lines;
        }

        var timestamps = IsTrue(query["timestamps"]);
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            if (timestamps)
            {
                text.Append(log!.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)).Append(' ');
            }

            text.Append(line).Append('\n');
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        if (query["limitBytes"] is { Count: > 0 } limitText)
        {
            if (!int.TryParse(limitText, CultureInfo.InvariantCulture, out var limitBytes) || limitBytes <= 0)
            {
                await WriteJsonAsync(context, ApiStatus.BadRequest($"invalid limitBytes: {limitText}"), ct);
                return;
            }

            bytes = bytes.Length > limitBytes ? bytes[..limitBytes] : bytes;
        }

        context.Response.ContentType = "text/plain";
        await context.Response.Body.WriteAsync(bytes, ct);
    }

    private static bool TryFilter(HttpContext context, ResourceType type, string? @namespace, string? name, out Func<StoredObject, bool> filter, out JsonObject error)
    {
        filter = static _ => true;
        error = new JsonObject();
        LabelSelector labels;
        FieldSelector fields;
        try
        {
            labels = LabelSelector.Parse(context.Request.Query["labelSelector"]);
            fields = FieldSelector.Parse(context.Request.Query["fieldSelector"], type);
        }
        catch (FormatException ex)
        {
            error = ApiStatus.BadRequest(ex.Message);
            return false;
        }

        var ns = type.Namespaced ? @namespace : null;
        filter = stored =>
            (ns is null || stored.Namespace == ns)
            && (name is null || stored.Name == name)
            && (labels.IsEverything || labels.Matches(stored.Labels))
            && (fields.IsEverything || fields.Matches(stored.Object));
        return true;
    }

    private void WriteItem(EventStreamWriter writer, WatchItem item, ResourceType type, Representation representation, TableContext? table)
    {
        switch (item.Type)
        {
            case WatchItemType.Bookmark:
                WriteBookmark(writer, type, item.BookmarkResourceVersion, initialEventsEnd: false);
                break;
            default:
                WriteEvent(writer, item.Type switch
                {
                    WatchItemType.Added => "ADDED",
                    WatchItemType.Modified => "MODIFIED",
                    _ => "DELETED",
                }, item.Object!, type, representation, table);
                break;
        }
    }

    private void WriteEvent(EventStreamWriter stream, string eventType, StoredObject stored, ResourceType type, Representation representation, TableContext? table)
    {
        var writer = stream.Json;
        writer.WriteStartObject();
        writer.WriteString("type", eventType);
        writer.WritePropertyName("object");
        if (table is not null)
        {
            Table(type, [stored], stored.ResourceVersion, null, table.IncludeObject).WriteTo(writer);
        }
        else
        {
            WriteObject(writer, stored, type, representation);
        }

        writer.WriteEndObject();
        stream.EndLine();
    }

    private static void WriteBookmark(EventStreamWriter stream, ResourceType type, long resourceVersion, bool initialEventsEnd)
    {
        var writer = stream.Json;
        writer.WriteStartObject();
        writer.WriteString("type", "BOOKMARK");
        writer.WriteStartObject("object");
        writer.WriteString("kind", type.Kind);
        writer.WriteString("apiVersion", type.ApiVersion);
        writer.WriteStartObject("metadata");
        writer.WriteString("resourceVersion", resourceVersion.ToString(CultureInfo.InvariantCulture));
        writer.WriteNull("creationTimestamp");
        if (initialEventsEnd)
        {
            writer.WriteStartObject("annotations");
            writer.WriteString("k8s.io/initial-events-end", "true");
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        stream.EndLine();
    }

    private static void WriteObject(Utf8JsonWriter writer, StoredObject stored, ResourceType type, Representation representation)
    {
        if (representation == Representation.PartialMetadata)
        {
            writer.WriteStartObject();
            writer.WriteString("kind", "PartialObjectMetadata");
            writer.WriteString("apiVersion", "meta.k8s.io/v1");
            writer.WritePropertyName("metadata");
            stored.Metadata.WriteTo(writer);
            writer.WriteEndObject();
        }
        else if (type.EffectiveStorageKey != type.GroupResource && EventConversion.IsEventsGroup(type))
        {
            EventConversion.ToEventsV1(stored.Object, type.ApiVersion).WriteTo(writer);
        }
        else
        {
            writer.WriteRawValue(stored.Json, skipInputValidation: true);
        }
    }

    private JsonObject Table(ResourceType type, IReadOnlyList<StoredObject> items, long resourceVersion, string? next, string includeObject)
    {
        var now = _options.TimeProvider.GetUtcNow();
        var rows = new JsonArray();
        foreach (var stored in items)
        {
            var row = new JsonObject { ["cells"] = TablePrinter.Cells(stored, now) };
            switch (includeObject)
            {
                case "Object":
                    row["object"] = EventConversion.IsEventsGroup(type) ? EventConversion.ToEventsV1(stored.Object, type.ApiVersion) : stored.Object.DeepClone();
                    break;
                case "None":
                    break;
                default:
                    row["object"] = new JsonObject
                    {
                        ["kind"] = "PartialObjectMetadata",
                        ["apiVersion"] = "meta.k8s.io/v1",
                        ["metadata"] = stored.Metadata.DeepClone(),
                    };
                    break;
            }

            rows.Add(row);
        }

        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (next is not null)
        {
            metadata["continue"] = next;
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = TablePrinter.ColumnDefinitions(type),
            ["rows"] = rows,
        };
    }

    private JsonObject VersionInfo()
    {
        var version = _options.KubernetesVersion;
        var parts = version.TrimStart('v').Split('.');
        return new JsonObject
        {
            ["major"] = parts[0],
            ["minor"] = parts[1],
            ["emulationMajor"] = parts[0],
            ["emulationMinor"] = parts[1],
            ["minCompatibilityMajor"] = parts[0],
            ["minCompatibilityMinor"] = (int.Parse(parts[1], CultureInfo.InvariantCulture) - 1).ToString(CultureInfo.InvariantCulture),
            ["gitVersion"] = version,
            ["gitCommit"] = "0000000000000000000000000000000000000000",
            ["gitTreeState"] = "clean",
            ["buildDate"] = "2025-08-01T00:00:00Z",
            ["goVersion"] = "go1.24.5",
            ["compiler"] = "gc",
            ["platform"] = "linux/amd64",
        };
    }

    private JsonObject RootPaths()
    {
        var paths = new JsonArray("/api", "/api/v1", "/apis");
        foreach (var (group, version) in _catalog.GroupVersions().Where(gv => gv.Group.Length > 0))
        {
            paths.Add(JsonValue.Create($"/apis/{group}"));
            paths.Add(JsonValue.Create($"/apis/{group}/{version}"));
        }

        paths.Add(JsonValue.Create("/healthz"));
        paths.Add(JsonValue.Create("/livez"));
        paths.Add(JsonValue.Create("/readyz"));
        paths.Add(JsonValue.Create("/version"));
        return new JsonObject { ["paths"] = paths };
    }

    private static async Task WriteJsonAsync(HttpContext context, JsonObject body, CancellationToken ct, string contentType = "application/json")
    {
        if (body["kind"]?.GetValue<string>() == "Status" && body["code"] is { } code)
        {
            context.Response.StatusCode = code.GetValue<int>();
        }

        context.Response.ContentType = contentType;
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, SimulatorJson.WriterOptions);
        body.WriteTo(writer);
        await writer.FlushAsync(ct);
    }

    private static JsonObject? ContainerStatus(JsonObject pod, string container)
    {
        foreach (var list in new[] { "containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses" })
        {
            foreach (var s in pod["status"]?[list] as JsonArray ?? [])
            {
                if (s?["name"]?.GetValue<string>() == container)
                {
                    return s as JsonObject;
                }
            }
        }

        return null;
    }

    private static List<string> Names(JsonNode? containers) =>
        (containers as JsonArray ?? []).Select(c => c?["name"]?.GetValue<string>() ?? "").Where(n => n.Length > 0).ToList();

    private static string IncludeObject(HttpRequest request, Representation representation) =>
        request.Query["includeObject"].ToString() is { Length: > 0 } value ? value : representation == Representation.Table ? "Metadata" : "Object";

    private static bool IsTrue(StringValues value) => value.ToString() is "true" or "1" or "True";

    internal static Representation Negotiate(StringValues acceptHeader, bool discovery)
    {
        var accept = acceptHeader.ToString();
        if (string.IsNullOrWhiteSpace(accept))
        {
            return Representation.Json;
        }

        foreach (var range in accept.Split(','))
        {
            var parts = range.Split(';');
            var mediaType = parts[0].Trim();
            if (mediaType is not ("application/json" or "*/*" or "application/*"))
            {
                continue;
            }

            var parameters = parts.Skip(1)
                .Select(p => p.Split('=', 2))
                .Where(p => p.Length == 2)
                .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.Ordinal);
            if (!parameters.TryGetValue("as", out var asKind))
            {
                return Representation.Json;
            }

            parameters.TryGetValue("g", out var group);
            parameters.TryGetValue("v", out var version);
            switch (asKind)
            {
                case "Table" when group == "meta.k8s.io" && version is "v1" or "v1beta1":
                    return Representation.Table;
                case "PartialObjectMetadata" or "PartialObjectMetadataList" when group == "meta.k8s.io" && version is "v1" or "v1beta1":
                    return Representation.PartialMetadata;
                case "APIGroupDiscoveryList" when discovery && group == "apidiscovery.k8s.io" && version == "v2":
                    return Representation.AggregatedDiscovery;
                default:
                    continue;
            }
        }

        return Representation.NotAcceptable;
    }

    private sealed record TableContext(ResourceType Type, string IncludeObject);
}

internal enum Representation
{
    Json,
    Table,
    PartialMetadata,
    AggregatedDiscovery,
    NotAcceptable,
}
