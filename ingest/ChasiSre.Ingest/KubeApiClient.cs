using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using k8s;

namespace ChasiSre.Ingest;

/// <summary>
/// Raw JSON access to one cluster's API server over KubernetesClient's authenticated
/// <see cref="HttpClient"/> (kubeconfig, in-cluster service account, client certificates,
/// exec and token-file credentials all come from <see cref="KubernetesClientConfiguration"/>).
/// Watchers work on untyped JSON so that one code path serves every kind, including custom
/// resources, and the snapshot on the wire is exactly what the server sent.
/// </summary>
public sealed class KubeApiClient : IDisposable
{
    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");
    private readonly Kubernetes kubernetes;
    private readonly Uri baseUri;
    private readonly TimeSpan requestTimeout;
    private int disposed;

    /// <summary>Creates a client from a configuration (kubeconfig or in-cluster).</summary>
    /// <param name="configuration">Where and how to connect.</param>
    /// <param name="requestTimeout">Deadline of each non-watch request.</param>
    public KubeApiClient(KubernetesClientConfiguration configuration, TimeSpan requestTimeout)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        kubernetes = new Kubernetes(configuration);
        var text = kubernetes.BaseUri.ToString();
        baseUri = new Uri(text.EndsWith('/') ? text : text + "/");
        this.requestTimeout = requestTimeout;
    }

    /// <summary>The API server's base address.</summary>
    public Uri BaseUri => baseUri;

    /// <summary>
    /// The resources of <paramref name="groupVersionPath"/> (<c>api/v1</c>, <c>apis/apps/v1</c>)
    /// the server serves, by plural name; empty when the group version is not served (404).
    /// </summary>
    public async Task<IReadOnlySet<string>> ServedResourcesAsync(string groupVersionPath, CancellationToken cancellationToken = default)
    {
        try
        {
            using var document = await GetJsonAsync(groupVersionPath, cancellationToken);
            var served = new HashSet<string>(StringComparer.Ordinal);
            foreach (var resource in document.RootElement.Get("resources").Items())
            {
                if (resource.Text("name") is { } name && !name.Contains('/', StringComparison.Ordinal))
                {
                    served.Add(name);
                }
            }

            return served;
        }
        catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// One page of a list (<c>limit</c> + <c>continue</c>; limit 0 = everything at once), optionally in one
    /// namespace and filtered by selectors; a stale continue token throws a 410 <see cref="KubeApiException"/>.
    /// </summary>
    public async Task<KubeListPage> ListPageAsync(
        KubeResource resource,
        int limit,
        string? continueToken,
        string? @namespace = null,
        string? fieldSelector = null,
        string? labelSelector = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var path = @namespace is null ? resource.CollectionPath : $"{resource.GroupVersionPath}/namespaces/{Uri.EscapeDataString(@namespace)}/{resource.Plural}";
        var query = new StringBuilder(path).Append("?limit=").Append(limit);
        if (!string.IsNullOrEmpty(fieldSelector))
        {
            query.Append("&fieldSelector=").Append(Uri.EscapeDataString(fieldSelector));
        }

        if (!string.IsNullOrEmpty(labelSelector))
        {
            query.Append("&labelSelector=").Append(Uri.EscapeDataString(labelSelector));
        }

        if (!string.IsNullOrEmpty(continueToken))
        {
            query.Append("&continue=").Append(Uri.EscapeDataString(continueToken));
        }

        using var response = await SendAsync(query.ToString(), HttpCompletionOption.ResponseHeadersRead, watch: false, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new KubeApiException(HttpStatusCode.OK, "InvalidList", $"{resource}: the list response is not a JSON object");
        }

        var metadata = root.Get("metadata");
        var items = root.Get("items").Items().Where(i => i.ValueKind == JsonValueKind.Object).ToList();
        var next = metadata.Text("continue");
        return new KubeListPage(document, items, metadata.Text("resourceVersion") ?? "", string.IsNullOrEmpty(next) ? null : next);
    }

    /// <summary>
    /// Watches from <paramref name="resourceVersion"/> with bookmarks until the server ends the
    /// stream (timeout, restart, dropped connection) or <paramref name="cancellationToken"/> fires.
    /// ERROR events are returned, not thrown, so the caller can relist on 410.
    /// </summary>
    public async IAsyncEnumerable<KubeWatchEvent> WatchAsync(
        KubeResource resource,
        string resourceVersion,
        int timeoutSeconds,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var path = $"{resource.CollectionPath}?watch=true&allowWatchBookmarks=true&timeoutSeconds={timeoutSeconds}&resourceVersion={Uri.EscapeDataString(resourceVersion)}";
        using var response = await SendAsync(path, HttpCompletionOption.ResponseHeadersRead, watch: true, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken);
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                // The connection dropped mid-stream: the same as the server ending the watch.
                yield break;
            }

            if (line is null)
            {
                yield break;
            }

            if (line.Length == 0)
            {
                continue;
            }

            yield return KubeWatchEvent.Parse(line);
        }
    }

    /// <summary>One object as a JSON document (the caller disposes it), or null when it does not exist.</summary>
    public async Task<JsonDocument?> GetAsync(KubeResource resource, string? @namespace, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        try
        {
            return await GetJsonAsync(resource.ObjectPath(@namespace, name), cancellationToken);
        }
        catch (KubeApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// A container's log (the <c>log</c> subresource) with timestamps, the last
    /// <paramref name="tailLines"/> lines and at most <paramref name="limitBytes"/> bytes.
    /// </summary>
    public async Task<string> GetLogAsync(string @namespace, string pod, string container, bool previous, int tailLines, int limitBytes, CancellationToken cancellationToken = default)
    {
        var path = $"api/v1/namespaces/{Uri.EscapeDataString(@namespace)}/pods/{Uri.EscapeDataString(pod)}/log" +
            $"?container={Uri.EscapeDataString(container)}&previous={(previous ? "true" : "false")}&timestamps=true&tailLines={tailLines}&limitBytes={limitBytes}";
        using var response = await SendAsync(path, HttpCompletionOption.ResponseContentRead, watch: false, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        // limitBytes may cut a multi-byte character; decoding replaces the fragment instead of failing.
        return Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, limitBytes));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            kubernetes.Dispose();
        }
    }

    private async Task<JsonDocument> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(path, HttpCompletionOption.ResponseHeadersRead, watch: false, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(string path, HttpCompletionOption completion, bool watch, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, path));
        request.Headers.Accept.Add(Json);
        if (kubernetes.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken);
        }

        HttpResponseMessage response;
        if (watch)
        {
            response = await kubernetes.HttpClient.SendAsync(request, completion, cancellationToken);
        }
        else
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(requestTimeout);
            try
            {
                response = await kubernetes.HttpClient.SendAsync(request, completion, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new KubeApiException(HttpStatusCode.GatewayTimeout, "Timeout", $"GET {path} took longer than {requestTimeout}");
            }
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ErrorAsync(response, path, cancellationToken);
        }
    }

    private static async Task<KubeApiException> ErrorAsync(HttpResponseMessage response, string path, CancellationToken cancellationToken)
    {
        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow > TimeSpan.Zero ? date - DateTimeOffset.UtcNow : TimeSpan.Zero,
            _ => (TimeSpan?)null,
        };
        var reason = response.ReasonPhrase ?? response.StatusCode.ToString();
        var message = $"GET {path}";
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (body.Length > 0 && body[0] == '{')
            {
                using var status = JsonDocument.Parse(body);
                reason = status.RootElement.Text("reason") ?? reason;
                message = $"GET {path}: {status.RootElement.Text("message")}";
            }
        }
        catch (JsonException)
        {
            // Not a Status body (a proxy's HTML error page): the HTTP status says enough.
        }

        return new KubeApiException(response.StatusCode, reason, message, retryAfter);
    }
}
