using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Ingest.Metrics;

/// <summary>
/// Scrape targets from pods and services annotated the way the Prometheus community charts read
/// them: <c>prometheus.io/scrape: "true"</c>, <c>prometheus.io/port</c> (else the first declared
/// TCP container port / service port), <c>prometheus.io/path</c> (default <c>/metrics</c>),
/// <c>prometheus.io/scheme</c> (<c>http</c> or <c>https</c>); plus <c>chasi.io/scrape-interval</c>
/// and <c>chasi.io/scrape-timeout</c> (<c>15s</c>, <c>1m</c>, <c>500ms</c>). Pods are scraped at
/// their pod IP while Running; services at their cluster IP (headless services are skipped:
/// annotate their pods instead).
/// </summary>
public static class ScrapeTargets
{
    /// <summary>Annotation that opts an object in.</summary>
    public const string ScrapeAnnotation = "prometheus.io/scrape";

    /// <summary>Annotation naming the port.</summary>
    public const string PortAnnotation = "prometheus.io/port";

    /// <summary>Annotation naming the path.</summary>
    public const string PathAnnotation = "prometheus.io/path";

    /// <summary>Annotation naming the scheme.</summary>
    public const string SchemeAnnotation = "prometheus.io/scheme";

    /// <summary>Annotation overriding the scrape interval.</summary>
    public const string IntervalAnnotation = "chasi.io/scrape-interval";

    /// <summary>Annotation overriding the scrape timeout.</summary>
    public const string TimeoutAnnotation = "chasi.io/scrape-timeout";

    /// <summary>The target of an annotated, running pod; null (with the reason) otherwise.</summary>
    public static ScrapeTarget? FromPod(JsonObject pod, ClusterIdentity identity, ITenantResolver tenants, MetricsIngestOptions options, out string? skipReason)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(tenants);
        ArgumentNullException.ThrowIfNull(options);
        skipReason = null;
        var metadata = pod["metadata"] as JsonObject;
        if (!OptedIn(metadata))
        {
            return null;
        }

        var ns = Text(metadata, "namespace") ?? "";
        var name = Text(metadata, "name") ?? "";
        var status = pod["status"] as JsonObject;
        if (Text(status, "phase") != "Running")
        {
            skipReason = "not running";
            return null;
        }

        var ip = Text(status, "podIP");
        if (string.IsNullOrEmpty(ip))
        {
            skipReason = "no pod IP";
            return null;
        }

        var port = AnnotatedPort(metadata, out skipReason) ?? (skipReason is null ? FirstContainerPort(pod) : null);
        if (port is null)
        {
            skipReason ??= "no prometheus.io/port and no declared container port";
            return null;
        }

        var subject = MetricSubjects.Pod(identity, tenants, ns, name, Text(metadata, "uid"));
        return Build(metadata, subject, ip, port.Value, [new("namespace", ns), new("pod", name)], options, out skipReason);
    }

    /// <summary>The target of an annotated service with a cluster IP; null (with the reason) otherwise.</summary>
    public static ScrapeTarget? FromService(JsonObject service, ClusterIdentity identity, ITenantResolver tenants, MetricsIngestOptions options, out string? skipReason)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(tenants);
        ArgumentNullException.ThrowIfNull(options);
        skipReason = null;
        var metadata = service["metadata"] as JsonObject;
        if (!OptedIn(metadata))
        {
            return null;
        }

        var ns = Text(metadata, "namespace") ?? "";
        var name = Text(metadata, "name") ?? "";
        var spec = service["spec"] as JsonObject;
        var ip = Text(spec, "clusterIP");
        if (string.IsNullOrEmpty(ip) || ip == "None")
        {
            skipReason = "headless or without a cluster IP";
            return null;
        }

        var port = AnnotatedPort(metadata, out skipReason);
        if (port is null && skipReason is null && spec?["ports"] is JsonArray ports)
        {
            port = ports.Select(p => p?["port"]?.GetValueKind() == System.Text.Json.JsonValueKind.Number ? p["port"]!.GetValue<int>() : (int?)null).FirstOrDefault(p => p is > 0 and < 65536);
        }

        if (port is null)
        {
            skipReason ??= "no prometheus.io/port and no service port";
            return null;
        }

        var subject = MetricSubjects.Service(identity, tenants, ns, name, Text(metadata, "uid"));
        return Build(metadata, subject, ip, port.Value, [new("namespace", ns), new("service", name)], options, out skipReason);
    }

    /// <summary>A Go-style duration (<c>500ms</c>, <c>15s</c>, <c>2m</c>, <c>1h</c>, <c>1m30s</c>); null when invalid.</summary>
    public static TimeSpan? ParseDuration(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var total = TimeSpan.Zero;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (i == start || !double.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return null;
            }

            var unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]))
            {
                i++;
            }

            TimeSpan? part = text[unitStart..i] switch
            {
                "ms" => TimeSpan.FromMilliseconds(number),
                "s" => TimeSpan.FromSeconds(number),
                "m" => TimeSpan.FromMinutes(number),
                "h" => TimeSpan.FromHours(number),
                _ => null,
            };
            if (part is null)
            {
                return null;
            }

            total += part.Value;
        }

        return total;
    }

    private static ScrapeTarget? Build(JsonObject? metadata, ObjectRef subject, string ip, int port, KeyValuePair<string, string>[] labels, MetricsIngestOptions options, out string? skipReason)
    {
        skipReason = null;
        var scheme = Annotation(metadata, SchemeAnnotation) ?? "http";
        if (scheme is not ("http" or "https"))
        {
            skipReason = $"unsupported scheme '{scheme}'";
            return null;
        }

        var path = Annotation(metadata, PathAnnotation) is { Length: > 0 } annotated ? annotated : "/metrics";
        if (!path.StartsWith('/'))
        {
            path = "/" + path;
        }

        var host = IPAddress.TryParse(ip, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip;
        if (!Uri.TryCreate($"{scheme}://{host}:{port.ToString(CultureInfo.InvariantCulture)}{path}", UriKind.Absolute, out var url))
        {
            skipReason = $"invalid address {host}:{port}{path}";
            return null;
        }

        var interval = ParseDuration(Annotation(metadata, IntervalAnnotation)) ?? options.ScrapeInterval;
        if (interval < options.MinScrapeInterval)
        {
            interval = options.MinScrapeInterval;
        }

        var timeout = ParseDuration(Annotation(metadata, TimeoutAnnotation)) ?? options.ScrapeTimeout;
        if (timeout <= TimeSpan.Zero || timeout > interval)
        {
            timeout = interval;
        }

        var id = $"{RecordKeys.ForObject(subject)}:{port.ToString(CultureInfo.InvariantCulture)}{path}";
        return new ScrapeTarget(id, url, subject, labels, interval, timeout);
    }

    private static bool OptedIn(JsonObject? metadata) =>
        string.Equals(Annotation(metadata, ScrapeAnnotation), "true", StringComparison.OrdinalIgnoreCase);

    private static int? AnnotatedPort(JsonObject? metadata, out string? skipReason)
    {
        skipReason = null;
        var text = Annotation(metadata, PortAnnotation);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536)
        {
            return port;
        }

        skipReason = $"invalid prometheus.io/port '{text}'";
        return null;
    }

    private static int? FirstContainerPort(JsonObject pod)
    {
        if (pod["spec"]?["containers"] is not JsonArray containers)
        {
            return null;
        }

        foreach (var container in containers)
        {
            if (container?["ports"] is not JsonArray ports)
            {
                continue;
            }

            foreach (var port in ports)
            {
                var protocol = port?["protocol"]?.GetValue<string>() ?? "TCP";
                if (protocol == "TCP" && port?["containerPort"] is JsonValue value && value.TryGetValue<int>(out var number) && number is > 0 and < 65536)
                {
                    return number;
                }
            }
        }

        return null;
    }

    private static string? Annotation(JsonObject? metadata, string name) =>
        metadata?["annotations"]?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string? Text(JsonObject? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
