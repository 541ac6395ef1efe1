using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Diagnosis.Evidence;

/// <summary>
/// Turns an object snapshot into a few compact lines: labels and owners, spec and status without the noise
/// (managed fields, defaults, timestamps), containers with image, resources, probes and env variable NAMES only,
/// conditions and container states. A Secret shows its type and key names, never a value; a ConfigMap its key names.
/// </summary>
internal static partial class ObjectRenderer
{
    private const int MaxFlowDepth = 4;

    private static readonly System.Buffers.SearchValues<char> QuoteTriggers = System.Buffers.SearchValues.Create("{}[],:\"\n");

    // Spec and status fields that say nothing about a failure (defaults, bookkeeping).
    private static readonly HashSet<string> Noise = new(StringComparer.Ordinal)
    {
        "managedFields", "terminationMessagePath", "terminationMessagePolicy", "imagePullPolicy", "dnsPolicy", "schedulerName",
        "terminationGracePeriodSeconds", "enableServiceLinks", "preemptionPolicy", "priority", "revisionHistoryLimit",
        "serviceAccount", "observedGeneration", "collisionCount", "podIPs", "hostIPs", "qosClass", "startTime",
        "ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy", "clusterIPs", "sessionAffinity", "images", "daemonEndpoints",
        "volumesAttached", "volumesInUse", "runtimeHandlers", "features", "config", "podManagementPolicy",
        "persistentVolumeClaimRetentionPolicy", "minReadySeconds", "lastProbeTime", "lastHeartbeatTime", "lastUpdateTime",
        "finalizers", "uid", "resourceVersion", "generation", "creationTimestamp", "selfLink", "podCIDRs", "providerID",
    };

    // Labels that only repeat what the references already say.
    private static readonly string[] NoisyLabelPrefixes = ["pod-template-hash", "controller-revision-hash", "statefulset.kubernetes.io/", "vcluster.loft.sh/", "kubernetes.io/metadata.name"];

    private static readonly string[] NoisyAnnotationPrefixes = ["kubectl.kubernetes.io/", "deployment.kubernetes.io/", "vcluster.loft.sh/", "control-plane.alpha.kubernetes.io/", "node.alpha.kubernetes.io/", "volumes.kubernetes.io/", "pv.kubernetes.io/", "meta.helm.sh/"];

    // Conditions whose "normal" status is False.
    private static readonly HashSet<string> NegativeConditions = new(StringComparer.Ordinal)
    {
        "MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable", "Failed", "ReplicaFailure", "Stalled", "Degraded",
    };

    /// <summary>True for a rendered line about the object's status (what its twin does not repeat).</summary>
    public static bool IsStatusLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var text = line.AsSpan().TrimStart();
        return text.StartsWith("status:", StringComparison.Ordinal) || text.StartsWith("condition", StringComparison.Ordinal)
            || text.StartsWith("state ", StringComparison.Ordinal) || text.StartsWith("init state ", StringComparison.Ordinal)
            || text.StartsWith("(", StringComparison.Ordinal);
    }

    /// <summary>The lines after the item's first (id) line, each starting with two spaces.</summary>
    public static IReadOnlyList<string> Render(ObjectSnapshot snapshot, int maxLineChars)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var lines = new List<string>();
        var kind = snapshot.Ref?.Kind ?? "";
        var isCore = snapshot.Ref is null || snapshot.Ref.ApiVersion is "v1" or "";
        var labels = snapshot.Labels.Where(l => !NoisyLabelPrefixes.Any(p => l.Key.StartsWith(p, StringComparison.Ordinal))).OrderBy(l => l.Key, StringComparer.Ordinal).ToList();
        if (labels.Count > 0)
        {
            lines.Add(Line("labels: " + string.Join(", ", labels.Select(l => $"{l.Key}={l.Value}")), maxLineChars));
        }

        var annotations = snapshot.Annotations
            .Where(a => a.Value.Length <= 80 && !SensitiveName().IsMatch(a.Key) && !NoisyAnnotationPrefixes.Any(p => a.Key.StartsWith(p, StringComparison.Ordinal)))
            .OrderBy(a => a.Key, StringComparer.Ordinal)
            .ToList();
        if (annotations.Count > 0)
        {
            lines.Add(Line("annotations: " + string.Join(", ", annotations.Select(a => $"{a.Key}={a.Value}")), maxLineChars));
        }

        if (snapshot.Owners.Count > 0)
        {
            lines.Add(Line("owner: " + string.Join(", ", snapshot.Owners.Select(o => $"{o.Kind}/{o.Name}")), maxLineChars));
        }

        if (snapshot.ObjectJsonOmitted || snapshot.ObjectJson.IsEmpty)
        {
            lines.Add(snapshot.ObjectJsonOmitted ? "  (spec and status omitted upstream: object too large)" : "  (no spec or status recorded)");
            return lines;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(snapshot.ObjectJson.Memory);
        }
        catch (JsonException exception)
        {
            lines.Add(Line($"(object JSON unreadable: {exception.Message})", maxLineChars));
            return lines;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return lines;
            }

            if (isCore && kind == "Secret")
            {
                // Type and key names only: values never reach the pack, even if a producer left them in.
                var type = root.TryGetProperty("type", out var secretType) && secretType.ValueKind == JsonValueKind.String ? secretType.GetString() : "Opaque";
                lines.Add(Line($"type={type} keys=[{string.Join(", ", KeyNames(root))}]", maxLineChars));
                return lines;
            }

            if (isCore && kind == "ConfigMap")
            {
                lines.Add(Line($"keys=[{string.Join(", ", KeyNames(root))}]", maxLineChars));
                return lines;
            }

            if (root.TryGetProperty("spec", out var spec) && spec.ValueKind == JsonValueKind.Object)
            {
                Part("spec", spec, lines, maxLineChars);
            }

            if (root.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object)
            {
                Part("status", status, lines, maxLineChars);
            }

            // Objects whose payload is not spec/status (Endpoints subsets, StorageClass fields, ...).
            var rest = new List<string>();
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name is "apiVersion" or "kind" or "metadata" or "spec" or "status" or "dataKeys" or "data" or "stringData" or "binaryData"
                    || Noise.Contains(property.Name))
                {
                    continue;
                }

                rest.Add($"{property.Name}={Flow(property.Value, 0)}");
            }

            if (rest.Count > 0)
            {
                lines.Add(Line(string.Join(" ", rest), maxLineChars));
            }
        }

        return lines;
    }

    private static SortedSet<string> KeyNames(JsonElement root)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        if (root.TryGetProperty("dataKeys", out var keys) && keys.ValueKind == JsonValueKind.Array)
        {
            foreach (var key in keys.EnumerateArray())
            {
                if (key.ValueKind == JsonValueKind.String)
                {
                    names.Add(key.GetString()!);
                }
            }
        }

        foreach (var field in (string[])["data", "stringData", "binaryData"])
        {
            if (root.TryGetProperty(field, out var values) && values.ValueKind == JsonValueKind.Object)
            {
                foreach (var value in values.EnumerateObject())
                {
                    names.Add(value.Name);
                }
            }
        }

        return names;
    }

    // One part (spec or status): its plain fields on one line, then a line per container, condition and container status.
    private static void Part(string label, JsonElement part, List<string> lines, int maxLineChars)
    {
        var scalars = new List<string>();
        var details = new List<string>();
        Walk(part, "", scalars, details, maxLineChars);
        if (scalars.Count > 0)
        {
            lines.Add(Line($"{label}: {string.Join(" ", scalars)}", maxLineChars));
        }

        lines.AddRange(details);
    }

    private static void Walk(JsonElement part, string prefix, List<string> scalars, List<string> details, int maxLineChars)
    {
        var normalConditions = new List<string>();
        foreach (var property in part.EnumerateObject())
        {
            var name = property.Name;
            var value = property.Value;
            if (Noise.Contains(name) || IsEmpty(value))
            {
                continue;
            }

            switch (name)
            {
                case "containers" or "initContainers" or "ephemeralContainers" when value.ValueKind == JsonValueKind.Array:
                    foreach (var container in value.EnumerateArray())
                    {
                        details.Add(Line(Container(container, name == "containers" ? "container" : "init container"), maxLineChars));
                    }

                    break;
                case "containerStatuses" or "initContainerStatuses" or "ephemeralContainerStatuses" when value.ValueKind == JsonValueKind.Array:
                    foreach (var status in value.EnumerateArray())
                    {
                        details.Add(Line(ContainerStatus(status, name == "containerStatuses" ? "state" : "init state"), maxLineChars));
                    }

                    break;
                case "conditions" when value.ValueKind == JsonValueKind.Array:
                    foreach (var condition in value.EnumerateArray())
                    {
                        if (Condition(condition) is { } line)
                        {
                            details.Add(Line(line, maxLineChars));
                        }
                        else if (Text(condition, "type") is { } type)
                        {
                            normalConditions.Add(type);
                        }
                    }

                    break;
                case "template" or "jobTemplate" when value.ValueKind == JsonValueKind.Object:
                    // Pod template (Deployment, Job, ...) or job template (CronJob): labels and spec, flattened.
                    if (value.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("labels", out var templateLabels) && templateLabels.ValueKind == JsonValueKind.Object)
                    {
                        scalars.Add($"{prefix}{name}.labels={Flow(templateLabels, 0)}");
                    }

                    if (value.TryGetProperty("spec", out var templateSpec) && templateSpec.ValueKind == JsonValueKind.Object)
                    {
                        Walk(templateSpec, $"{prefix}{name}.", scalars, details, maxLineChars);
                    }

                    break;
                case "volumes" when value.ValueKind == JsonValueKind.Array:
                    scalars.Add($"{prefix}volumes=[{string.Join(", ", value.EnumerateArray().Select(Volume))}]");
                    break;
                case "tolerations" when value.ValueKind == JsonValueKind.Array:
                    var tolerations = value.EnumerateArray()
                        .Where(t => Text(t, "key") is not ("node.kubernetes.io/not-ready" or "node.kubernetes.io/unreachable"))
                        .Select(t => Flow(t, 1))
                        .ToList();
                    if (tolerations.Count > 0)
                    {
                        scalars.Add($"{prefix}tolerations=[{string.Join(", ", tolerations)}]");
                    }

                    break;
                case "restartPolicy" when value.ValueKind == JsonValueKind.String && value.GetString() == "Always":
                case "serviceAccountName" when value.ValueKind == JsonValueKind.String && value.GetString() == "default":
                case "strategy" or "updateStrategy" when IsDefaultStrategy(value):
                    break;
                case "securityContext" when value.ValueKind == JsonValueKind.Object && !value.EnumerateObject().Any():
                    break;
                case "env" when value.ValueKind == JsonValueKind.Array:
                    scalars.Add($"{prefix}env=[{string.Join(", ", value.EnumerateArray().Select(EnvName))}]");
                    break;
                case "data" or "stringData" or "binaryData" when value.ValueKind == JsonValueKind.Object:
                    scalars.Add($"{prefix}{name}=[{string.Join(", ", value.EnumerateObject().Select(v => v.Name))}]");
                    break;
                case var _ when value.ValueKind == JsonValueKind.String && IsSensitiveName(name):
                    scalars.Add($"{prefix}{name}=***");
                    break;
                default:
                    scalars.Add($"{prefix}{name}={Flow(value, 0)}");
                    break;
            }
        }

        if (normalConditions.Count > 0)
        {
            details.Add(Line($"conditions ok: {string.Join(", ", normalConditions)}", maxLineChars));
        }
    }

    private static bool IsDefaultStrategy(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object
        && Text(value, "type") is "RollingUpdate"
        && (!value.TryGetProperty("rollingUpdate", out var rolling)
            || (Text(rolling, "maxSurge") is null or "25%" && Text(rolling, "maxUnavailable") is null or "25%"));

    private static string Container(JsonElement container, string what)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{what} {Text(container, "name") ?? "?"}:");
        if (Text(container, "image") is { } image)
        {
            text.Append(CultureInfo.InvariantCulture, $" image={image}");
        }

        foreach (var field in (string[])["command", "args"])
        {
            if (container.TryGetProperty(field, out var words) && words.ValueKind == JsonValueKind.Array && words.GetArrayLength() > 0)
            {
                var joined = string.Join(' ', words.EnumerateArray().Select(w => w.ValueKind == JsonValueKind.String ? w.GetString() : w.GetRawText()));
                text.Append(CultureInfo.InvariantCulture, $" {field}=[{SensitiveAssignment().Replace(joined, "$1=***")}]");
            }
        }

        if (container.TryGetProperty("ports", out var ports) && ports.ValueKind == JsonValueKind.Array && ports.GetArrayLength() > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" ports=[{string.Join(", ", ports.EnumerateArray().Select(p => Number(p, "containerPort") + (Text(p, "protocol") is { } protocol and not "TCP" ? "/" + protocol : "")))}]");
        }

        if (container.TryGetProperty("resources", out var resources) && resources.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in (string[])["requests", "limits"])
            {
                if (resources.TryGetProperty(field, out var amounts) && amounts.ValueKind == JsonValueKind.Object && amounts.EnumerateObject().Any())
                {
                    text.Append(CultureInfo.InvariantCulture, $" {field}={string.Join(",", amounts.EnumerateObject().Select(a => $"{a.Name}:{Scalar(a.Value)}"))}");
                }
            }
        }

        if (container.TryGetProperty("env", out var env) && env.ValueKind == JsonValueKind.Array && env.GetArrayLength() > 0)
        {
            // Names only: a value may be a credential. A reference names where the value comes from, never the value.
            text.Append(CultureInfo.InvariantCulture, $" env=[{string.Join(", ", env.EnumerateArray().Select(EnvName))}]");
        }

        if (container.TryGetProperty("envFrom", out var envFrom) && envFrom.ValueKind == JsonValueKind.Array && envFrom.GetArrayLength() > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" envFrom=[{string.Join(", ", envFrom.EnumerateArray().Select(EnvFrom))}]");
        }

        if (container.TryGetProperty("volumeMounts", out var mounts) && mounts.ValueKind == JsonValueKind.Array && mounts.GetArrayLength() > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" mounts=[{string.Join(", ", mounts.EnumerateArray().Select(m => $"{Text(m, "name")}:{Text(m, "mountPath")}"))}]");
        }

        foreach (var probe in (string[])["startupProbe", "livenessProbe", "readinessProbe"])
        {
            if (container.TryGetProperty(probe, out var spec) && spec.ValueKind == JsonValueKind.Object)
            {
                text.Append(CultureInfo.InvariantCulture, $" {probe[..^5]}={Probe(spec)}");
            }
        }

        return text.ToString();
    }

    private static string EnvName(JsonElement variable)
    {
        var name = Text(variable, "name") ?? "?";
        if (!variable.TryGetProperty("valueFrom", out var from) || from.ValueKind != JsonValueKind.Object)
        {
            return name;
        }

        if (from.TryGetProperty("secretKeyRef", out var secret))
        {
            return $"{name}<-secret:{Text(secret, "name")}.{Text(secret, "key")}{(secret.TryGetProperty("optional", out var optional) && optional.ValueKind == JsonValueKind.True ? "?" : "")}";
        }

        if (from.TryGetProperty("configMapKeyRef", out var configMap))
        {
            return $"{name}<-configmap:{Text(configMap, "name")}.{Text(configMap, "key")}";
        }

        if (from.TryGetProperty("fieldRef", out var field))
        {
            return $"{name}<-field:{Text(field, "fieldPath")}";
        }

        if (from.TryGetProperty("resourceFieldRef", out var resource))
        {
            return $"{name}<-resource:{Text(resource, "resource")}";
        }

        return name;
    }

    private static string EnvFrom(JsonElement source)
    {
        var prefix = Text(source, "prefix") is { } p ? $" prefix {p}" : "";
        if (source.TryGetProperty("secretRef", out var secret))
        {
            return $"secret:{Text(secret, "name")}{prefix}";
        }

        if (source.TryGetProperty("configMapRef", out var configMap))
        {
            return $"configmap:{Text(configMap, "name")}{prefix}";
        }

        return Flow(source, 1);
    }

    private static string Probe(JsonElement probe)
    {
        var text = new StringBuilder();
        if (probe.TryGetProperty("httpGet", out var http))
        {
            text.Append(CultureInfo.InvariantCulture, $"httpGet {Text(http, "path") ?? "/"}:{Scalar(http, "port")}");
        }
        else if (probe.TryGetProperty("tcpSocket", out var tcp))
        {
            text.Append(CultureInfo.InvariantCulture, $"tcp :{Scalar(tcp, "port")}");
        }
        else if (probe.TryGetProperty("grpc", out var grpc))
        {
            text.Append(CultureInfo.InvariantCulture, $"grpc :{Scalar(grpc, "port")}");
        }
        else if (probe.TryGetProperty("exec", out var exec) && exec.TryGetProperty("command", out var command) && command.ValueKind == JsonValueKind.Array)
        {
            var joined = string.Join(' ', command.EnumerateArray().Select(w => w.GetString()));
            text.Append(CultureInfo.InvariantCulture, $"exec '{SensitiveAssignment().Replace(joined, "$1=***")}'");
        }
        else
        {
            text.Append('?');
        }

        foreach (var (field, label) in (ReadOnlySpan<(string, string)>)[("initialDelaySeconds", "delay"), ("periodSeconds", "period"), ("timeoutSeconds", "timeout"), ("failureThreshold", "failures")])
        {
            if (probe.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Number)
            {
                text.Append(CultureInfo.InvariantCulture, $" {label}={value.GetRawText()}");
            }
        }

        return "{" + text + "}";
    }

    private static string ContainerStatus(JsonElement status, string what)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{what} {Text(status, "name") ?? "?"}:");
        if (status.TryGetProperty("ready", out var ready) && ready.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            text.Append(CultureInfo.InvariantCulture, $" ready={(ready.ValueKind == JsonValueKind.True ? "true" : "false")}");
        }

        if (status.TryGetProperty("restartCount", out var restarts) && restarts.ValueKind == JsonValueKind.Number)
        {
            text.Append(CultureInfo.InvariantCulture, $" restarts={restarts.GetRawText()}");
        }

        if (status.TryGetProperty("state", out var state) && State(state) is { Length: > 0 } now)
        {
            text.Append(CultureInfo.InvariantCulture, $" now={now}");
        }

        if (status.TryGetProperty("lastState", out var last) && State(last) is { Length: > 0 } before)
        {
            text.Append(CultureInfo.InvariantCulture, $" last={before}");
        }

        if (Text(status, "image") is { } image && (status.TryGetProperty("state", out var s) && s.TryGetProperty("waiting", out _)))
        {
            text.Append(CultureInfo.InvariantCulture, $" image={image}");
        }

        return text.ToString();
    }

    private static string State(JsonElement state)
    {
        if (state.ValueKind != JsonValueKind.Object)
        {
            return "";
        }

        foreach (var property in state.EnumerateObject())
        {
            var detail = property.Value;
            var text = new StringBuilder(property.Name);
            if (Text(detail, "reason") is { } reason)
            {
                text.Append(CultureInfo.InvariantCulture, $" {reason}");
            }

            if (detail.TryGetProperty("exitCode", out var exit) && exit.ValueKind == JsonValueKind.Number)
            {
                text.Append(CultureInfo.InvariantCulture, $" exit={exit.GetRawText()}");
            }

            if (detail.TryGetProperty("signal", out var signal) && signal.ValueKind == JsonValueKind.Number)
            {
                text.Append(CultureInfo.InvariantCulture, $" signal={signal.GetRawText()}");
            }

            if (Text(detail, "finishedAt") is { } finished)
            {
                text.Append(CultureInfo.InvariantCulture, $" at {finished}");
            }

            if (Text(detail, "message") is { } message)
            {
                text.Append(CultureInfo.InvariantCulture, $" \"{EvidenceText.OneLine(message, 200)}\"");
            }

            return text.ToString();
        }

        return "";
    }

    // A condition that is not in its normal state, as one line; null when it is normal (listed by type only).
    private static string? Condition(JsonElement condition)
    {
        var type = Text(condition, "type") ?? "?";
        var status = Text(condition, "status") ?? "?";
        var normal = NegativeConditions.Contains(type) ? status == "False" : status == "True";
        if (normal && Text(condition, "reason") is not ("ProgressDeadlineExceeded" or "FailedCreate"))
        {
            return null;
        }

        var text = new StringBuilder($"condition {type}={status}");
        if (Text(condition, "reason") is { } reason)
        {
            text.Append(CultureInfo.InvariantCulture, $" {reason}");
        }

        if (Text(condition, "lastTransitionTime") is { } since)
        {
            text.Append(CultureInfo.InvariantCulture, $" since {since}");
        }

        if (Text(condition, "message") is { } message)
        {
            text.Append(CultureInfo.InvariantCulture, $": {EvidenceText.OneLine(message, 240)}");
        }

        return text.ToString();
    }

    private static string Volume(JsonElement volume)
    {
        var name = Text(volume, "name") ?? "?";
        foreach (var property in volume.EnumerateObject())
        {
            if (property.Name == "name")
            {
                continue;
            }

            var source = property.Value;
            var target = Text(source, "secretName") ?? Text(source, "claimName") ?? Text(source, "name") ?? Text(source, "path");
            return target is null ? $"{name}:{property.Name}" : $"{name}:{property.Name}/{target}";
        }

        return name;
    }

    // Compact JSON: {k: v, ...}, [a, b]; strings unquoted unless they would be ambiguous.
    internal static string Flow(JsonElement value, int depth)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                if (depth >= MaxFlowDepth)
                {
                    return "{" + EvidenceText.Ellipsis + "}";
                }

                // Wherever they nest (a CRD embedding a pod template), env values and credential-like fields stay out.
                var fields = value.EnumerateObject()
                    .Where(p => !Noise.Contains(p.Name) && !IsEmpty(p.Value))
                    .Select(p => p.Name switch
                    {
                        "env" when p.Value.ValueKind == JsonValueKind.Array => $"env: [{string.Join(", ", p.Value.EnumerateArray().Select(EnvName))}]",
                        "data" or "stringData" or "binaryData" when p.Value.ValueKind == JsonValueKind.Object => $"{p.Name}: [{string.Join(", ", p.Value.EnumerateObject().Select(v => v.Name))}]",
                        _ when p.Value.ValueKind == JsonValueKind.String && IsSensitiveName(p.Name) => $"{p.Name}: ***",
                        _ => $"{p.Name}: {Flow(p.Value, depth + 1)}",
                    });
                return "{" + string.Join(", ", fields) + "}";
            case JsonValueKind.Array:
                if (depth >= MaxFlowDepth)
                {
                    return "[" + EvidenceText.Ellipsis + "]";
                }

                return "[" + string.Join(", ", value.EnumerateArray().Select(v => Flow(v, depth + 1))) + "]";
            default:
                return Scalar(value);
        }
    }

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Quote(value.GetString() ?? ""),
        JsonValueKind.Null or JsonValueKind.Undefined => "null",
        JsonValueKind.Object or JsonValueKind.Array => Flow(value, 1),
        _ => value.GetRawText(),
    };

    private static string Scalar(JsonElement parent, string field) =>
        parent.TryGetProperty(field, out var value) ? Scalar(value) : "?";

    private static string Number(JsonElement parent, string field) =>
        parent.TryGetProperty(field, out var value) ? value.GetRawText() : "?";

    private static string Quote(string text) =>
        text.Length == 0 || text.AsSpan().IndexOfAny(QuoteTriggers) >= 0 || text != text.Trim()
            ? "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\""
            : text;

    private static bool IsEmpty(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => !value.EnumerateObject().Any(),
        JsonValueKind.Array => value.GetArrayLength() == 0,
        JsonValueKind.Null or JsonValueKind.Undefined => true,
        JsonValueKind.String => value.GetString()!.Length == 0,
        _ => false,
    };

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString() is { Length: > 0 } text ? text : null,
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                _ => null,
            }
            : null;

    private static string Line(string text, int maxLineChars) => "  " + EvidenceText.OneLine(text, maxLineChars - 2);

    /// <summary>True for a key name that suggests a credential (token, secret, password, api key, ...).</summary>
    public static bool IsSensitiveName(string name) => SensitiveName().IsMatch(name);

    [GeneratedRegex("(?i)(token|secret|passw(or)?d|pwd|api[-_]?key|credential|private[-_]?key)")]
    private static partial Regex SensitiveName();

    // --password=..., token=..., "secret: ..." inside commands and arguments.
    [GeneratedRegex("(?i)([\\w.-]*(?:token|secret|passw(?:or)?d|pwd|api[-_]?key|credential)[\\w.-]*)\\s*[=:]\\s*\\S+")]
    private static partial Regex SensitiveAssignment();
}
