using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Simulator;

/// <summary>
/// Server-side printing (meta.k8s.io/v1 <c>Table</c>) with the columns and cell rules of the
/// apiserver's built-in printers for pods, nodes, namespaces, deployments, replica sets,
/// stateful sets, services and events; every other resource gets Name and Age.
/// Priority-1 columns are what <c>kubectl get -o wide</c> adds.
/// </summary>
internal static class TablePrinter
{
    private sealed record Column(string Name, string Type, string Description, int Priority = 0, string Format = "");

    private static readonly Column NameColumn = new("Name", "string", "Name must be unique within a namespace.", 0, "name");
    private static readonly Column AgeColumn = new("Age", "string", "CreationTimestamp is a timestamp representing the server time when this object was created.");

    private static readonly Dictionary<string, Column[]> ColumnsByStorage = new(StringComparer.Ordinal)
    {
        ["pods"] =
        [
            NameColumn,
            new("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
            new("Status", "string", "The aggregate status of the containers in this pod."),
            new("Restarts", "string", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
            AgeColumn,
            new("IP", "string", "IP address allocated to the pod.", 1),
            new("Node", "string", "Name of the node where the pod is scheduled.", 1),
            new("Nominated Node", "string", "Name of the node where the pod is nominated to be scheduled.", 1),
            new("Readiness Gates", "string", "The readiness gates of the pod.", 1),
        ],
        ["nodes"] =
        [
            NameColumn,
            new("Status", "string", "The status of the node"),
            new("Roles", "string", "The roles of the node"),
            AgeColumn,
            new("Version", "string", "Kubelet Version reported by the node."),
            new("Internal-IP", "string", "List of addresses reachable to the node.", 1),
            new("External-IP", "string", "List of addresses reachable to the node.", 1),
            new("OS-Image", "string", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", 1),
            new("Kernel-Version", "string", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
            new("Container-Runtime", "string", "Container runtime version reported by the node through runtime remote API (e.g. containerd://1.4.2).", 1),
        ],
        ["namespaces"] =
        [
            NameColumn,
            new("Status", "string", "The status of the namespace"),
            AgeColumn,
        ],
        ["deployments.apps"] =
        [
            NameColumn,
            new("Ready", "string", "Number of the pod with ready state"),
            new("Up-to-date", "integer", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
            new("Available", "integer", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
            AgeColumn,
            new("Containers", "string", "Names of each container in the template.", 1),
            new("Images", "string", "Images referenced by each container in the template.", 1),
            new("Selector", "string", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.", 1),
        ],
        ["replicasets.apps"] =
        [
            NameColumn,
            new("Desired", "integer", "Replicas is the number of desired replicas."),
            new("Current", "integer", "Replicas is the most recently observed number of replicas."),
            new("Ready", "integer", "The number of ready replicas for this replica set."),
            AgeColumn,
            new("Containers", "string", "Names of each container in the template.", 1),
            new("Images", "string", "Images referenced by each container in the template.", 1),
            new("Selector", "string", "Selector is a label query over pods that should match the replica count.", 1),
        ],
        ["statefulsets.apps"] =
        [
            NameColumn,
            new("Ready", "string", "Number of the pod with ready state"),
            AgeColumn,
            new("Containers", "string", "Names of each container in the template.", 1),
            new("Images", "string", "Images referenced by each container in the template.", 1),
        ],
        ["services"] =
        [
            NameColumn,
            new("Type", "string", "The type of the service."),
            new("Cluster-IP", "string", "The cluster IP of the service."),
            new("External-IP", "string", "The external IP of the service."),
            new("Port(s)", "string", "The ports of the service."),
            AgeColumn,
            new("Selector", "string", "Route service traffic to pods with label keys and values matching this selector.", 1),
        ],
        ["events"] =
        [
            new("Last Seen", "string", "Time when last event occurred"),
            new("Type", "string", "Type of this event (Normal, Warning), new types could be added in the future."),
            new("Reason", "string", "The reason for this event."),
            new("Object", "string", "The object that this event is about."),
            new("Subobject", "string", "The subobject that this event is about.", 1),
            new("Source", "string", "The source of this event.", 1),
            new("Message", "string", "A human-readable description of the status of this operation."),
            new("First Seen", "string", "Time when first event occurred", 1),
            new("Count", "integer", "The number of times this event has occurred.", 1),
            new("Name", "string", "The name of this event.", 1, "name"),
        ],
    };

    public static JsonArray ColumnDefinitions(ResourceType type)
    {
        var columns = ColumnsByStorage.GetValueOrDefault(type.EffectiveStorageKey) ?? [NameColumn, AgeColumn];
        var result = new JsonArray();
        foreach (var c in columns)
        {
            result.Add(new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Format,
                ["description"] = c.Description,
                ["priority"] = c.Priority,
            });
        }

        return result;
    }

    public static JsonArray Cells(StoredObject stored, DateTimeOffset now)
    {
        var o = stored.Object;
        var age = Age(o["metadata"]?["creationTimestamp"], now);
        JsonNode?[] cells = stored.Type.EffectiveStorageKey switch
        {
            "pods" => PodCells(o, stored.Name, age, now),
            "nodes" => NodeCells(o, stored.Name, age),
            "namespaces" => [stored.Name, Str(o, "status", "phase"), age],
            "deployments.apps" =>
            [
                stored.Name,
                $"{Int(o, "status", "readyReplicas")}/{Int(o, "spec", "replicas", 1)}",
                Int(o, "status", "updatedReplicas"),
                Int(o, "status", "availableReplicas"),
                age,
                .. Template(o),
                Selector(o["spec"]?["selector"]),
            ],
            "replicasets.apps" =>
            [
                stored.Name,
                Int(o, "spec", "replicas", 1),
                Int(o, "status", "replicas"),
                Int(o, "status", "readyReplicas"),
                age,
                .. Template(o),
                Selector(o["spec"]?["selector"]),
            ],
            "statefulsets.apps" =>
            [
                stored.Name,
                $"{Int(o, "status", "readyReplicas")}/{Int(o, "spec", "replicas", 1)}",
                age,
                .. Template(o),
            ],
            "services" => ServiceCells(o, stored.Name, age),
            "events" => EventCells(o, stored.Name, now),
            _ => [stored.Name, age],
        };
        return new JsonArray(cells);
    }

    /// <summary>The apiserver's HumanDuration: "45s", "3m20s", "5h10m", "3d4h", "2y10d".</summary>
    public static string HumanDuration(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 60 * 2)
        {
            return $"{seconds}s";
        }

        var minutes = (long)d.TotalMinutes;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? $"{minutes}m" : $"{minutes}m{s}s";
        }

        if (minutes < 60 * 3)
        {
            return $"{minutes}m";
        }

        var hours = (long)d.TotalHours;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? $"{hours}h" : $"{hours}h{m}m";
        }

        if (hours < 48)
        {
            return $"{hours}h";
        }

        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? $"{hours / 24}d" : $"{hours / 24}d{h}h";
        }

        if (hours < 24 * 365 * 2)
        {
            return $"{hours / 24}d";
        }

        if (hours < 24 * 365 * 8)
        {
            var dy = hours / 24 % 365;
            return dy == 0 ? $"{hours / 24 / 365}y" : $"{hours / 24 / 365}y{dy}d";
        }

        return $"{hours / 24 / 365}y";
    }

    private static JsonNode?[] PodCells(JsonObject pod, string name, string age, DateTimeOffset now)
    {
        var spec = pod["spec"] as JsonObject;
        var status = pod["status"] as JsonObject;
        var totalContainers = (spec?["containers"] as JsonArray)?.Count ?? 0;
        var readyContainers = 0;
        long restarts = 0;
        DateTimeOffset? lastRestart = null;
        var reason = Str(status, "phase");
        if (Str(status, "reason") is { Length: > 0 } podReason)
        {
            reason = podReason;
        }

        var initializing = false;
        var initStatuses = status?["initContainerStatuses"] as JsonArray ?? [];
        var initCount = (spec?["initContainers"] as JsonArray)?.Count ?? 0;
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var c = initStatuses[i] as JsonObject;
            restarts += Long(c, "restartCount");
            var terminated = c?["state"]?["terminated"] as JsonObject;
            var waiting = c?["state"]?["waiting"] as JsonObject;
            if (terminated is not null && Long(terminated, "exitCode") == 0)
            {
                continue;
            }

            if (terminated is not null)
            {
                reason = Str(terminated, "reason") is { Length: > 0 } r
                    ? "Init:" + r
                    : Long(terminated, "signal") != 0 ? $"Init:Signal:{Long(terminated, "signal")}" : $"Init:ExitCode:{Long(terminated, "exitCode")}";
            }
            else if (waiting is not null && Str(waiting, "reason") is { Length: > 0 } w && w != "PodInitializing")
            {
                reason = "Init:" + w;
            }
            else
            {
                reason = $"Init:{i}/{initCount}";
            }

            initializing = true;
            break;
        }

        if (!initializing)
        {
            restarts = 0;
            var hasRunning = false;
            var statuses = status?["containerStatuses"] as JsonArray ?? [];
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var c = statuses[i] as JsonObject;
                restarts += Long(c, "restartCount");
                if (Timestamp(c?["lastState"]?["terminated"]?["finishedAt"]) is { } finished && (lastRestart is null || finished > lastRestart))
                {
                    lastRestart = finished;
                }

                var state = c?["state"] as JsonObject;
                var terminated = state?["terminated"] as JsonObject;
                if (Str(state?["waiting"] as JsonObject, "reason") is { Length: > 0 } waitingReason)
                {
                    reason = waitingReason;
                }
                else if (terminated is not null && Str(terminated, "reason") is { Length: > 0 } terminatedReason)
                {
                    reason = terminatedReason;
                }
                else if (terminated is not null)
                {
                    reason = Long(terminated, "signal") != 0 ? $"Signal:{Long(terminated, "signal")}" : $"ExitCode:{Long(terminated, "exitCode")}";
                }
                else if (c?["ready"]?.GetValueKind() == JsonValueKind.True && state?["running"] is not null)
                {
                    hasRunning = true;
                    readyContainers++;
                }
            }

            if (reason == "Completed" && hasRunning)
            {
                var ready = (status?["conditions"] as JsonArray ?? []).Any(c => Str(c as JsonObject, "type") == "Ready" && Str(c as JsonObject, "status") == "True");
                reason = ready ? "Running" : "NotReady";
            }
        }

        if (pod["metadata"]?["deletionTimestamp"] is not null)
        {
            reason = Str(status, "reason") == "NodeLost" ? "Unknown" : reason is "Succeeded" or "Failed" ? reason : "Terminating";
        }

        var restartText = restarts != 0 && lastRestart is { } last
            ? $"{restarts} ({HumanDuration(now - last)} ago)"
            : restarts.ToString(CultureInfo.InvariantCulture);
        var gates = spec?["readinessGates"] as JsonArray ?? [];
        var gatesText = "<none>";
        if (gates.Count > 0)
        {
            var trueConditions = (status?["conditions"] as JsonArray ?? [])
                .Where(c => Str(c as JsonObject, "status") == "True")
                .Select(c => Str(c as JsonObject, "type"))
                .ToHashSet(StringComparer.Ordinal);
            var passing = gates.Count(g => trueConditions.Contains(Str(g as JsonObject, "conditionType")));
            gatesText = $"{passing}/{gates.Count}";
        }

        return
        [
            name,
            $"{readyContainers}/{totalContainers}",
            reason,
            restartText,
            age,
            NoneIfEmpty(Str(status, "podIP")),
            NoneIfEmpty(Str(spec, "nodeName")),
            NoneIfEmpty(Str(status, "nominatedNodeName")),
            gatesText,
        ];
    }

    private static JsonNode?[] NodeCells(JsonObject node, string name, string age)
    {
        var status = node["status"] as JsonObject;
        var conditions = status?["conditions"] as JsonArray ?? [];
        var ready = conditions.Select(c => c as JsonObject).FirstOrDefault(c => Str(c, "type") == "Ready");
        var states = new List<string>
        {
            ready is null ? "Unknown" : Str(ready, "status") switch
            {
                "True" => "Ready",
                "False" => "NotReady",
                _ => "Unknown",
            },
        };
        if (node["spec"]?["unschedulable"]?.GetValueKind() == JsonValueKind.True)
        {
            states.Add("SchedulingDisabled");
        }

        var roles = (node["metadata"]?["labels"] as JsonObject ?? [])
            .Select(kv => kv.Key.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal) ? kv.Key["node-role.kubernetes.io/".Length..]
                : kv.Key == "kubernetes.io/role" ? kv.Value?.GetValue<string>() ?? "" : "")
            .Where(r => r.Length > 0)
            .Order(StringComparer.Ordinal)
            .ToList();
        var addresses = status?["addresses"] as JsonArray ?? [];
        string Address(string type) => NoneIfEmpty(addresses.Select(a => a as JsonObject).FirstOrDefault(a => Str(a, "type") == type) is { } a ? Str(a, "address") : "");
        var info = status?["nodeInfo"] as JsonObject;
        return
        [
            name,
            string.Join(',', states),
            roles.Count == 0 ? "<none>" : string.Join(',', roles),
            age,
            Str(info, "kubeletVersion"),
            Address("InternalIP"),
            Address("ExternalIP"),
            NoneIfEmpty(Str(info, "osImage"), "<unknown>"),
            NoneIfEmpty(Str(info, "kernelVersion"), "<unknown>"),
            NoneIfEmpty(Str(info, "containerRuntimeVersion"), "<unknown>"),
        ];
    }

    private static JsonNode?[] ServiceCells(JsonObject service, string name, string age)
    {
        var spec = service["spec"] as JsonObject;
        var type = Str(spec, "type") is { Length: > 0 } t ? t : "ClusterIP";
        var clusterIp = NoneIfEmpty(Str(spec, "clusterIP"));
        var externalIps = (spec?["externalIPs"] as JsonArray ?? []).Select(n => n?.GetValue<string>() ?? "").ToList();
        var ingress = (service["status"]?["loadBalancer"]?["ingress"] as JsonArray ?? [])
            .Select(i => Str(i as JsonObject, "ip") is { Length: > 0 } ip ? ip : Str(i as JsonObject, "hostname"))
            .Where(s => s.Length > 0)
            .ToList();
        var external = type switch
        {
            "ExternalName" => Str(spec, "externalName"),
            "LoadBalancer" => ingress.Count + externalIps.Count > 0 ? string.Join(',', ingress.Concat(externalIps)) : "<pending>",
            _ => externalIps.Count > 0 ? string.Join(',', externalIps) : "<none>",
        };
        var ports = (spec?["ports"] as JsonArray ?? []).Select(p =>
        {
            var port = p as JsonObject;
            var text = $"{Long(port, "port")}";
            if (Long(port, "nodePort") is var nodePort and > 0)
            {
                text += $":{nodePort}";
            }

            return $"{text}/{(Str(port, "protocol") is { Length: > 0 } proto ? proto : "TCP")}";
        }).ToList();
        var selector = spec?["selector"] as JsonObject;
        return
        [
            name,
            type,
            clusterIp,
            external,
            ports.Count == 0 ? "<none>" : string.Join(',', ports),
            age,
            selector is null || selector.Count == 0 ? "<none>" : string.Join(',', selector.Select(kv => $"{kv.Key}={kv.Value}")),
        ];
    }

    private static JsonNode?[] EventCells(JsonObject ev, string name, DateTimeOffset now)
    {
        var first = ev["firstTimestamp"] is { } f && Timestamp(f) is not null ? Age(f, now) : Age(ev["eventTime"], now);
        var last = ev["lastTimestamp"] is { } l && Timestamp(l) is not null ? Age(l, now) : first;
        var count = Long(ev, "count");
        if (ev["series"] is JsonObject series)
        {
            last = Age(series["lastObservedTime"], now);
            count = Long(series, "count");
        }
        else if (count == 0)
        {
            count = 1;
        }

        var involved = ev["involvedObject"] as JsonObject;
        var kind = Str(involved, "kind").ToLowerInvariant();
        var target = Str(involved, "name") is { Length: > 0 } n ? $"{kind}/{n}" : kind;
        var source = ev["source"] as JsonObject;
        var sourceText = Str(source, "component");
        if (Str(source, "host") is { Length: > 0 } host)
        {
            sourceText += ", " + host;
        }

        var lastSeen = count > 1 ? $"{last} (x{count} over {first})" : last;
        return
        [
            lastSeen,
            Str(ev, "type"),
            Str(ev, "reason"),
            target,
            Str(involved, "fieldPath"),
            sourceText,
            Str(ev, "message").Trim(),
            first,
            count,
            name,
        ];
    }

    private static JsonNode?[] Template(JsonObject o)
    {
        var containers = o["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? [];
        return
        [
            string.Join(',', containers.Select(c => Str(c as JsonObject, "name"))),
            string.Join(',', containers.Select(c => Str(c as JsonObject, "image"))),
        ];
    }

    private static string Selector(JsonNode? selector)
    {
        if (selector is not JsonObject s)
        {
            return "<none>";
        }

        var parts = new List<string>();
        if (s["matchLabels"] is JsonObject labels)
        {
            parts.AddRange(labels.Select(kv => $"{kv.Key}={kv.Value}"));
        }

        foreach (var e in s["matchExpressions"] as JsonArray ?? [])
        {
            var values = (e?["values"] as JsonArray ?? []).Select(v => v?.GetValue<string>());
            parts.Add(Str(e as JsonObject, "operator") switch
            {
                "In" => $"{Str(e as JsonObject, "key")} in ({string.Join(',', values)})",
                "NotIn" => $"{Str(e as JsonObject, "key")} notin ({string.Join(',', values)})",
                "Exists" => Str(e as JsonObject, "key"),
                _ => $"!{Str(e as JsonObject, "key")}",
            });
        }

        return parts.Count == 0 ? "<none>" : string.Join(',', parts);
    }

    private static string Age(JsonNode? timestamp, DateTimeOffset now) =>
        Timestamp(timestamp) is { } t ? HumanDuration(now - t) : "<unknown>";

    private static DateTimeOffset? Timestamp(JsonNode? node) =>
        node?.GetValueKind() == JsonValueKind.String
        && DateTimeOffset.TryParse(node.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : null;

    private static string Str(JsonObject? o, string name) =>
        o is not null && o.TryGetPropertyValue(name, out var v) && v?.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";

    private static string Str(JsonObject o, string parent, string name) => Str(o[parent] as JsonObject, name);

    private static long Long(JsonObject? o, string name) =>
        o is not null && o.TryGetPropertyValue(name, out var v) && v?.GetValueKind() == JsonValueKind.Number
        && long.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static long Int(JsonObject o, string parent, string name, long absent = 0) =>
        o[parent] is JsonObject p && p.ContainsKey(name) ? Long(p, name) : absent;

    private static string NoneIfEmpty(string value, string none = "<none>") => value.Length == 0 ? none : value;
}
