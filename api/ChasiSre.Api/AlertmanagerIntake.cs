using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Api;

/// <summary>
/// Turns an Alertmanager webhook body (payload version 4) into signals for <c>chasi.alerts.v1</c>, all or nothing:
/// a body with any invalid part is refused whole, naming every offending field, so nothing is half-published.
/// </summary>
/// <remarks>
/// Per alert: detector <c>alertmanager/&lt;alertname&gt;</c>, reason the alertname; the subject from the labels (the first
/// of <c>pod</c>, <c>deployment</c>, <c>statefulset</c>, <c>daemonset</c>, <c>job_name</c>, <c>cronjob</c>,
/// <c>persistentvolumeclaim</c>, <c>horizontalpodautoscaler</c>, <c>node</c>, <c>service</c>; else the
/// <c>namespace</c>; else the cluster itself) in the <c>cluster</c> label's cluster or the default one; tenant from a
/// <c>tenant</c> label (or the only tenant of a single-tenant token); severity from <c>severity</c>; category from
/// <c>chasi_category</c> or the alertname (<see cref="AlertCategories"/>); active while firing. The signal id is stable per
/// fingerprint and start, so the resolved notification updates the signal the firing one made.
/// </remarks>
internal static class AlertmanagerIntake
{
    public const string DetectorPrefix = "alertmanager/";
    private const int MaxMessageChars = 4096;
    private const int MaxAttributeChars = 1024;

    private static readonly (string Label, string Kind, string ApiVersion, bool Namespaced)[] ObjectLabels =
    [
        ("pod", "Pod", "v1", true),
        ("deployment", "Deployment", "apps/v1", true),
        ("statefulset", "StatefulSet", "apps/v1", true),
        ("daemonset", "DaemonSet", "apps/v1", true),
        ("job_name", "Job", "batch/v1", true),
        ("cronjob", "CronJob", "batch/v1", true),
        ("persistentvolumeclaim", "PersistentVolumeClaim", "v1", true),
        ("horizontalpodautoscaler", "HorizontalPodAutoscaler", "autoscaling/v2", true),
        ("node", "Node", "v1", false),
        ("service", "Service", "v1", true),
    ];

    public static AlertIntakeOutcome Read(ReadOnlySpan<byte> body, AlertmanagerOptions options, TenantScope scope, DateTimeOffset now)
    {
        var errors = new QueryErrors();
        if (body.IsEmpty)
        {
            errors.Add("body", "empty; expected Alertmanager's webhook JSON (payload version 4)");
            return new AlertIntakeOutcome.Invalid(errors.All);
        }

        AlertmanagerWebhook? payload;
        try
        {
            payload = JsonSerializer.Deserialize(body, AlertmanagerJsonContext.Default.AlertmanagerWebhook);
        }
        catch (JsonException e)
        {
            errors.Add(Field(e.Path), $"not valid Alertmanager JSON: {Reason(e)}");
            return new AlertIntakeOutcome.Invalid(errors.All);
        }

        if (payload is null)
        {
            errors.Add("body", "null; expected a JSON object");
            return new AlertIntakeOutcome.Invalid(errors.All);
        }

        if (payload.Version is null)
        {
            errors.Add("version", "required: \"4\"");
        }
        else if (payload.Version != "4")
        {
            errors.Add("version", $"\"{payload.Version}\" is not supported; expected \"4\" (Alertmanager 0.16 and later)");
        }

        if (payload.Status is not null and not ("firing" or "resolved"))
        {
            errors.Add("status", $"\"{payload.Status}\" is neither firing nor resolved");
        }

        if (payload.Alerts is null)
        {
            errors.Add("alerts", "required: the list of alerts");
        }
        else if (payload.Alerts.Count == 0)
        {
            errors.Add("alerts", "empty; a notification carries at least one alert");
        }
        else if (payload.Alerts.Count > options.MaxAlertsPerRequest)
        {
            errors.Add("alerts", $"{payload.Alerts.Count} alerts; at most {options.MaxAlertsPerRequest} per request (lower max_alerts in the receiver)");
        }

        if (errors.Any)
        {
            return new AlertIntakeOutcome.Invalid(errors.All);
        }

        var groupKey = payload.GroupKey ?? "";
        var receiver = payload.Receiver ?? "";
        var signals = new List<(string, Signal)>(payload.Alerts!.Count);
        AlertIntakeOutcome.OutOfScope? outOfScope = null;
        int firing = 0, resolved = 0;
        for (var i = 0; i < payload.Alerts.Count; i++)
        {
            var prefix = $"alerts[{i}]";
            if (payload.Alerts[i] is not { } alert)
            {
                errors.Add(prefix, "null; expected an alert object");
                continue;
            }

            var signal = Map(alert, prefix, groupKey, receiver, options, scope, now, errors, ref outOfScope);
            if (signal is not null)
            {
                signals.Add((RecordKeys.ForObject(signal.Subject), signal));
                if (signal.Active)
                {
                    firing++;
                }
                else
                {
                    resolved++;
                }
            }
        }

        if (errors.Any)
        {
            return new AlertIntakeOutcome.Invalid(errors.All);
        }

        return outOfScope ?? (AlertIntakeOutcome)new AlertIntakeOutcome.Accepted(signals, groupKey, receiver, firing, resolved);
    }

    private static Signal? Map(
        AlertmanagerAlert alert,
        string prefix,
        string groupKey,
        string receiver,
        AlertmanagerOptions options,
        TenantScope scope,
        DateTimeOffset now,
        QueryErrors errors,
        ref AlertIntakeOutcome.OutOfScope? outOfScope)
    {
        var before = errors.All.Count;
        if (alert.Status is not ("firing" or "resolved"))
        {
            errors.Add($"{prefix}.status", alert.Status is null ? "required: firing or resolved" : $"\"{alert.Status}\" is neither firing nor resolved");
        }

        var labels = Strings(alert.Labels, $"{prefix}.labels", errors, required: true);
        var annotations = Strings(alert.Annotations, $"{prefix}.annotations", errors, required: false);
        if (labels is not null && !(labels.TryGetValue("alertname", out var name) && name.Length > 0))
        {
            errors.Add($"{prefix}.labels.alertname", "required: the alert's name");
        }

        DateTimeOffset startsAt = default;
        if (alert.StartsAt is null)
        {
            errors.Add($"{prefix}.startsAt", "required: an RFC 3339 timestamp");
        }
        else if (!ApiInput.TryParseTime(alert.StartsAt, null, out startsAt))
        {
            errors.Add($"{prefix}.startsAt", $"'{alert.StartsAt}' is not an RFC 3339 timestamp");
        }

        DateTimeOffset? endsAt = null;
        if (alert.EndsAt is not null)
        {
            if (!ApiInput.TryParseTime(alert.EndsAt, null, out var end))
            {
                errors.Add($"{prefix}.endsAt", $"'{alert.EndsAt}' is not an RFC 3339 timestamp");
            }
            else if (end.Year > 1)
            {
                endsAt = end;
            }
        }

        if (errors.All.Count > before || labels is null)
        {
            return null;
        }

        var subject = Subject(labels, prefix, options, errors);
        var category = Category(labels, prefix, options, errors);
        var tenant = Tenant(labels, prefix, scope, errors, ref outOfScope);
        if (errors.All.Count > before || subject is null)
        {
            return null;
        }

        subject.Tenant = tenant ?? "";
        var active = alert.Status == "firing";
        var alertName = labels["alertname"];
        labels.TryGetValue("severity", out var severityLabel);
        var fingerprint = alert.Fingerprint is { Length: > 0 } given ? given : Fingerprint(labels);
        var signal = new Signal
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"{DetectorPrefix}{fingerprint}/{startsAt.ToUnixTimeMilliseconds()}"),
            Detector = DetectorPrefix + alertName,
            Subject = subject,
            Severity = Severity(severityLabel),
            Reason = alertName,
            Message = Clip(Message(annotations, alertName), MaxMessageChars),
            FirstSeen = Timestamp.FromDateTimeOffset(startsAt),
            LastSeen = Timestamp.FromDateTimeOffset(active ? (now > startsAt ? now : startsAt) : endsAt ?? now),
            Score = 1,
            Active = active,
            Category = category ?? "",
        };
        signal.Attributes["alertmanager.fingerprint"] = fingerprint;
        signal.Attributes["alertmanager.receiver"] = Clip(receiver, MaxAttributeChars);
        signal.Attributes["alertmanager.group_key"] = Clip(groupKey, MaxAttributeChars);
        if (alert.GeneratorUrl is { Length: > 0 } url)
        {
            signal.Attributes["alertmanager.generator_url"] = Clip(url, MaxAttributeChars);
        }

        foreach (var (key, value) in labels)
        {
            signal.Attributes[$"label.{key}"] = Clip(value, MaxAttributeChars);
        }

        foreach (var (key, value) in annotations ?? [])
        {
            signal.Attributes[$"annotation.{key}"] = Clip(value, MaxAttributeChars);
        }

        return signal;
    }

    private static ObjectRef? Subject(Dictionary<string, string> labels, string prefix, AlertmanagerOptions options, QueryErrors errors)
    {
        var cluster = Label(labels, "cluster") ?? options.DefaultCluster;
        if (!ApiInput.IsClusterName(cluster))
        {
            errors.Add($"{prefix}.labels.cluster", $"'{cluster}' is not a cluster name");
        }

        var layer = options.DefaultLayer;
        if (Label(labels, "chasi_layer") is { } layerLabel)
        {
            layer = layerLabel.ToLowerInvariant() switch
            {
                "host" => Layer.Host,
                "virtual" => Layer.Virtual,
                "business" => Layer.Business,
                _ => Layer.Unspecified,
            };
            if (layer == Layer.Unspecified)
            {
                errors.Add($"{prefix}.labels.chasi_layer", $"'{layerLabel}' is not one of host, virtual, business");
            }
        }

        var hostCluster = Label(labels, "host_cluster");
        if (hostCluster is not null && !ApiInput.IsClusterName(hostCluster))
        {
            errors.Add($"{prefix}.labels.host_cluster", $"'{hostCluster}' is not a cluster name");
        }

        var reference = new ObjectRef
        {
            Cluster = cluster,
            Layer = layer,
            HostCluster = hostCluster ?? (layer == Layer.Host ? cluster : ""),
            HostNamespace = Label(labels, "host_namespace") ?? "",
        };
        var @namespace = Label(labels, "namespace") ?? "";
        foreach (var (label, kind, apiVersion, namespaced) in ObjectLabels)
        {
            if (Label(labels, label) is { } objectName)
            {
                reference.Kind = kind;
                reference.ApiVersion = apiVersion;
                reference.Name = objectName;
                reference.Namespace = namespaced ? @namespace : "";
                return reference;
            }
        }

        if (@namespace.Length > 0)
        {
            reference.Kind = "Namespace";
            reference.ApiVersion = "v1";
            reference.Name = @namespace;
        }
        else
        {
            reference.Kind = "Cluster";
            reference.Name = cluster;
        }

        return reference;
    }

    private static string? Category(Dictionary<string, string> labels, string prefix, AlertmanagerOptions options, QueryErrors errors)
    {
        if (Label(labels, "chasi_category") is { } label)
        {
            if (!AlertCategories.IsCategory(label))
            {
                errors.Add($"{prefix}.labels.chasi_category", $"'{label}' is not an incident category ({string.Join(", ", AlertCategories.Known)})");
            }

            return label;
        }

        var alertName = labels["alertname"];
        return options.Categories.TryGetValue(alertName, out var configured) ? configured
            : AlertCategories.BuiltIn.TryGetValue(alertName, out var known) ? known
            : null;
    }

    private static string? Tenant(Dictionary<string, string> labels, string prefix, TenantScope scope, QueryErrors errors, ref AlertIntakeOutcome.OutOfScope? outOfScope)
    {
        if (Label(labels, "tenant") is { } tenant)
        {
            if (!TenantScope.IsValidTenant(tenant))
            {
                errors.Add($"{prefix}.labels.tenant", $"'{tenant}' is not a tenant name (DNS-1123 label)");
                return null;
            }

            if (!scope.Allows(tenant))
            {
                outOfScope ??= new AlertIntakeOutcome.OutOfScope($"{prefix}.labels.tenant", $"{prefix} is for tenant '{tenant}', outside the scope of this token");
            }

            return tenant;
        }

        if (scope.IsAll)
        {
            return null;
        }

        if (scope.SingleTenant is { } only)
        {
            return only;
        }

        outOfScope ??= new AlertIntakeOutcome.OutOfScope(
            $"{prefix}.labels.tenant", $"{prefix} has no tenant label; a token scoped to several tenants must label every alert with one of them");
        return null;
    }

    private static Dictionary<string, string>? Strings(Dictionary<string, string?>? map, string field, QueryErrors errors, bool required)
    {
        if (map is null)
        {
            if (required)
            {
                errors.Add(field, "required: an object of string values");
            }

            return null;
        }

        var strings = new Dictionary<string, string>(map.Count, StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            if (value is null)
            {
                errors.Add($"{field}.{key}", "null; expected a string");
            }
            else
            {
                strings[key] = value;
            }
        }

        return strings;
    }

    private static string? Label(Dictionary<string, string> labels, string name) =>
        labels.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    private static Severity Severity(string? label) => label?.ToLowerInvariant() switch
    {
        "critical" or "page" => Schemas.V1.Severity.Critical,
        "error" or "high" or "major" => Schemas.V1.Severity.Error,
        "info" or "informational" or "low" or "none" => Schemas.V1.Severity.Info,
        _ => Schemas.V1.Severity.Warning,
    };

    private static string Message(Dictionary<string, string>? annotations, string alertName) =>
        annotations is null ? alertName
        : annotations.TryGetValue("summary", out var summary) && summary.Length > 0 ? summary
        : annotations.TryGetValue("description", out var description) && description.Length > 0 ? description
        : annotations.TryGetValue("message", out var message) && message.Length > 0 ? message
        : alertName;

    /// <summary>When Alertmanager sent no fingerprint: SHA-256 over the sorted labels, 16 hex digits like its own.</summary>
    private static string Fingerprint(Dictionary<string, string> labels)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            text.Append(key).Append('\xff').Append(value).Append('\xff');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    private static string Clip(string value, int max) => value.Length <= max ? value : value[..max];

    /// <summary><c>$.alerts[0].startsAt</c> → <c>alerts[0].startsAt</c>; <c>body</c> when the error is not inside a member.</summary>
    private static string Field(string? path) => path is null or "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static string Reason(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        message = cut > 0 ? message[..cut] : message;
        return e.LineNumber is { } line && e.BytePositionInLine is { } position
            ? string.Create(CultureInfo.InvariantCulture, $"{message} (line {line + 1}, byte {position + 1})")
            : message;
    }
}
