using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Scenarios;

/// <summary>Translates a virtual object into the host twin vCluster's syncer (v0.21+) would create.</summary>
internal static class VClusterTwins
{
    private static readonly string[] DroppedMetadata =
        ["ownerReferences", "resourceVersion", "managedFields", "selfLink", "generateName", "finalizers", "generation", "deletionTimestamp", "deletionGracePeriodSeconds"];

    /// <summary>True when the syncer puts <paramref name="obj"/> on the host (kind synced by default, not the virtual
    /// API's own <c>default/kubernetes</c> Service and Endpoints).</summary>
    public static bool IsSynced(JsonObject obj)
    {
        var kind = KubeJson.Kind(obj);
        if (!VClusterNaming.SyncedKinds.Contains(kind))
        {
            return false;
        }

        return !(kind is "Service" or "Endpoints" or "EndpointSlice"
                 && (KubeJson.Namespace(obj) ?? "default") == "default"
                 && (KubeJson.Name(obj) == "kubernetes" || KubeJson.String(obj["metadata"]?["labels"]?["kubernetes.io/service-name"]) == "kubernetes"));
    }

    public static JsonObject Translate(JsonObject virtualObject, string vcluster, string hostNamespace)
    {
        var twin = (JsonObject)virtualObject.DeepClone();
        var kind = KubeJson.Kind(twin);
        var apiVersion = KubeJson.ApiVersion(twin);
        var name = KubeJson.Name(twin)!;
        var ns = KubeJson.Namespace(twin) ?? "default";
        var hostName = VClusterNaming.HostName(name, ns, vcluster);
        var metadata = KubeJson.Metadata(twin);
        var virtualUid = KubeJson.Uid(virtualObject);
        var virtualLabels = KubeJson.StringMap(metadata["labels"]);
        foreach (var key in DroppedMetadata)
        {
            metadata.Remove(key);
        }

        metadata["name"] = hostName;
        metadata["namespace"] = hostNamespace;
        if (virtualUid is not null)
        {
            metadata["uid"] = KubeJson.DeterministicUid(ScenarioCluster.HostName, kind, hostNamespace, hostName);
        }

        var labels = KubeJson.ChildObject(metadata, "labels");
        labels[VClusterNaming.ManagedByLabel] = vcluster;
        labels[VClusterNaming.NamespaceLabel] = ns;
        labels[VClusterNaming.ControlledByLabel] = VClusterNaming.ControlledByValue;

        var annotations = KubeJson.ChildObject(metadata, "annotations");
        annotations[VClusterNaming.ObjectNameAnnotation] = name;
        annotations[VClusterNaming.ObjectNamespaceAnnotation] = ns;
        annotations[VClusterNaming.ObjectUidAnnotation] = virtualUid ?? "";
        annotations[VClusterNaming.ObjectKindAnnotation] = VClusterNaming.KindAnnotationValue(apiVersion, kind);
        annotations[VClusterNaming.ObjectHostNameAnnotation] = hostName;
        annotations[VClusterNaming.ObjectHostNamespaceAnnotation] = hostNamespace;

        switch (kind)
        {
            case "Pod":
                TranslatePod(twin, virtualObject, annotations, virtualLabels, vcluster, ns, virtualUid);
                break;
            case "Service":
                if (twin["spec"]?["selector"] is JsonObject selector)
                {
                    selector[VClusterNaming.NamespaceLabel] = ns;
                    selector[VClusterNaming.ManagedByLabel] = vcluster;
                }

                break;
            case "Endpoints":
                foreach (var subset in Items(twin["subsets"]))
                {
                    foreach (var address in Items(subset["addresses"]).Concat(Items(subset["notReadyAddresses"])))
                    {
                        RewritePodRef(address["targetRef"] as JsonObject, vcluster, hostNamespace);
                    }
                }

                break;
            case "EndpointSlice":
                foreach (var endpoint in Items(twin["endpoints"]))
                {
                    RewritePodRef(endpoint["targetRef"] as JsonObject, vcluster, hostNamespace);
                }

                if (KubeJson.String(labels["kubernetes.io/service-name"]) is { } service)
                {
                    labels["kubernetes.io/service-name"] = VClusterNaming.HostName(service, ns, vcluster);
                }

                break;
        }

        return twin;
    }

    /// <summary>The fake node a vCluster shows for a host node running one of its pods: the host node's labels and
    /// status when the scenario has the node, a minimal Ready node otherwise.</summary>
    public static JsonObject FakeNode(string vcluster, string nodeName, JsonObject? hostNode, DateTimeOffset now)
    {
        JsonObject node;
        if (hostNode is not null)
        {
            node = (JsonObject)hostNode.DeepClone();
            var metadata = KubeJson.Metadata(node);
            foreach (var key in new[] { "resourceVersion", "managedFields", "selfLink", "annotations", "ownerReferences", "finalizers" })
            {
                metadata.Remove(key);
            }
        }
        else
        {
            var time = KubeJson.Timestamp(now);
            node = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Node",
                ["metadata"] = new JsonObject
                {
                    ["labels"] = new JsonObject
                    {
                        ["kubernetes.io/hostname"] = nodeName,
                        ["kubernetes.io/os"] = "linux",
                    },
                },
                ["status"] = new JsonObject
                {
                    ["conditions"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "Ready",
                        ["status"] = "True",
                        ["reason"] = "KubeletReady",
                        ["message"] = "kubelet is posting ready status",
                        ["lastHeartbeatTime"] = time,
                        ["lastTransitionTime"] = time,
                    }),
                },
            };
        }

        var meta = KubeJson.Metadata(node);
        meta["name"] = nodeName;
        meta.Remove("namespace");
        meta["uid"] = KubeJson.DeterministicUid(vcluster, "Node", nodeName);
        meta["creationTimestamp"] ??= KubeJson.Timestamp(now);
        KubeJson.ChildObject(meta, "labels")[VClusterNaming.FakeNodeLabel] = "true";
        return node;
    }

    /// <summary>A host Event about a twin, as the syncer copies it into the virtual cluster: namespace and
    /// involvedObject point at the virtual object; a name prefixed by the twin's name gets the virtual name instead.</summary>
    public static JsonObject VirtualEvent(JsonObject hostEvent, string vcluster, string twinName, string virtualNamespace, string virtualName, string? virtualUid)
    {
        var copy = (JsonObject)hostEvent.DeepClone();
        var metadata = KubeJson.Metadata(copy);
        var name = KubeJson.Name(copy)!;
        if (name.StartsWith(twinName + ".", StringComparison.Ordinal))
        {
            name = virtualName + name[twinName.Length..];
        }

        metadata["name"] = name;
        metadata["namespace"] = virtualNamespace;
        metadata.Remove("resourceVersion");
        metadata.Remove("managedFields");
        metadata["uid"] = KubeJson.DeterministicUid(vcluster, "Event", virtualNamespace, name);
        var involved = KubeJson.ChildObject(copy, "involvedObject");
        involved["namespace"] = virtualNamespace;
        involved["name"] = virtualName;
        if (virtualUid is null)
        {
            involved.Remove("uid");
        }
        else
        {
            involved["uid"] = virtualUid;
        }

        involved.Remove("resourceVersion");
        return copy;
    }

    /// <summary>The host Event a kubelet event about a virtual pod stands for: about the twin, in the host namespace.</summary>
    public static JsonObject HostEvent(JsonObject virtualEvent, string vcluster, string virtualName, string hostNamespace, string twinName)
    {
        var copy = (JsonObject)virtualEvent.DeepClone();
        var metadata = KubeJson.Metadata(copy);
        var name = KubeJson.Name(copy)!;
        name = name.StartsWith(virtualName + ".", StringComparison.Ordinal)
            ? twinName + name[virtualName.Length..]
            : VClusterNaming.HostName(name, KubeJson.Namespace(copy) ?? "default", vcluster);
        metadata["name"] = name;
        metadata["namespace"] = hostNamespace;
        metadata.Remove("resourceVersion");
        metadata.Remove("managedFields");
        metadata["uid"] = KubeJson.DeterministicUid(ScenarioCluster.HostName, "Event", hostNamespace, name);
        var involved = KubeJson.ChildObject(copy, "involvedObject");
        var kind = KubeJson.String(involved["kind"]) ?? "";
        involved["namespace"] = hostNamespace;
        involved["name"] = twinName;
        if (involved.ContainsKey("uid"))
        {
            involved["uid"] = KubeJson.DeterministicUid(ScenarioCluster.HostName, kind, hostNamespace, twinName);
        }

        involved.Remove("resourceVersion");
        return copy;
    }

    private static void TranslatePod(JsonObject twin, JsonObject virtualPod, JsonObject annotations, Dictionary<string, string> virtualLabels, string vcluster, string ns, string? virtualUid)
    {
        var spec = KubeJson.ChildObject(twin, "spec");
        annotations[VClusterNaming.PodNameAnnotation] = KubeJson.Name(virtualPod);
        annotations[VClusterNaming.PodNamespaceAnnotation] = ns;
        annotations[VClusterNaming.PodUidAnnotation] = virtualUid ?? "";
        annotations[VClusterNaming.PodLabelsAnnotation] = VClusterNaming.LabelsAnnotationValue(virtualLabels);
        annotations[VClusterNaming.PodServiceAccountNameAnnotation] =
            KubeJson.String(spec["serviceAccountName"]) ?? KubeJson.String(spec["serviceAccount"]) ?? "default";
        var owner = Items(virtualPod["metadata"]?["ownerReferences"])
            .FirstOrDefault(o => o["controller"] is JsonValue c && c.TryGetValue<bool>(out var isController) && isController);
        if (owner is not null && KubeJson.String(owner["kind"]) is { } ownerKind)
        {
            annotations[VClusterNaming.PodOwnerSetKindAnnotation] = ownerKind;
        }

        var serviceAccount = VClusterNaming.WorkloadServiceAccountName(vcluster);
        spec["serviceAccountName"] = serviceAccount;
        if (spec.ContainsKey("serviceAccount"))
        {
            spec["serviceAccount"] = serviceAccount;
        }

        RewritePodReferences(spec, ns, vcluster);

        var volumes = spec["volumes"] as JsonArray ?? [];
        spec["volumes"] = volumes;
        volumes.Add(new JsonObject { ["name"] = VClusterNaming.RewriteHostsContainerName, ["emptyDir"] = new JsonObject() });
        var initContainers = spec["initContainers"] as JsonArray ?? [];
        spec["initContainers"] = initContainers;
        initContainers.Insert(0, new JsonObject
        {
            ["name"] = VClusterNaming.RewriteHostsContainerName,
            ["image"] = "library/alpine:3.20",
            ["command"] = new JsonArray("sh"),
            ["args"] = new JsonArray("-c", "sed -E -e 's/^(\\d+.\\d+.\\d+.\\d+\\s+)(.+)$/\\1\\2/' /etc/hosts > /hosts/hosts"),
            ["resources"] = new JsonObject
            {
                ["limits"] = new JsonObject { ["cpu"] = "30m", ["memory"] = "64Mi" },
                ["requests"] = new JsonObject { ["cpu"] = "30m", ["memory"] = "64Mi" },
            },
            ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = VClusterNaming.RewriteHostsContainerName, ["mountPath"] = "/hosts" }),
        });

        if (twin["status"] is JsonObject status && status["containerStatuses"] is JsonArray)
        {
            var started = KubeJson.String(status["startTime"]);
            var statuses = status["initContainerStatuses"] as JsonArray ?? [];
            status["initContainerStatuses"] = statuses;
            var terminated = new JsonObject { ["exitCode"] = 0, ["reason"] = "Completed" };
            if (started is not null)
            {
                terminated["startedAt"] = started;
                terminated["finishedAt"] = started;
            }

            statuses.Insert(0, new JsonObject
            {
                ["name"] = VClusterNaming.RewriteHostsContainerName,
                ["image"] = "library/alpine:3.20",
                ["ready"] = true,
                ["restartCount"] = 0,
                ["state"] = new JsonObject { ["terminated"] = terminated },
            });
        }
    }

    /// <summary>ConfigMaps, Secrets and PVCs a pod uses are synced too; its references point at their host names.</summary>
    private static void RewritePodReferences(JsonObject spec, string ns, string vcluster)
    {
        void Rename(JsonNode? holder, string key)
        {
            if (holder is JsonObject obj && KubeJson.String(obj[key]) is { Length: > 0 } name)
            {
                obj[key] = VClusterNaming.HostName(name, ns, vcluster);
            }
        }

        foreach (var volume in Items(spec["volumes"]))
        {
            Rename(volume["configMap"], "name");
            Rename(volume["secret"], "secretName");
            Rename(volume["persistentVolumeClaim"], "claimName");
            foreach (var source in Items(volume["projected"]?["sources"]))
            {
                Rename(source["configMap"], "name");
                Rename(source["secret"], "name");
            }
        }

        foreach (var container in Items(spec["containers"]).Concat(Items(spec["initContainers"])))
        {
            foreach (var env in Items(container["env"]))
            {
                Rename(env["valueFrom"]?["configMapKeyRef"], "name");
                Rename(env["valueFrom"]?["secretKeyRef"], "name");
            }

            foreach (var envFrom in Items(container["envFrom"]))
            {
                Rename(envFrom["configMapRef"], "name");
                Rename(envFrom["secretRef"], "name");
            }
        }

        foreach (var pullSecret in Items(spec["imagePullSecrets"]))
        {
            Rename(pullSecret, "name");
        }
    }

    private static void RewritePodRef(JsonObject? targetRef, string vcluster, string hostNamespace)
    {
        if (targetRef is null || KubeJson.String(targetRef["kind"]) != "Pod" || KubeJson.String(targetRef["name"]) is not { } name)
        {
            return;
        }

        var ns = KubeJson.String(targetRef["namespace"]) ?? "default";
        var hostName = VClusterNaming.HostName(name, ns, vcluster);
        targetRef["name"] = hostName;
        targetRef["namespace"] = hostNamespace;
        if (targetRef.ContainsKey("uid"))
        {
            targetRef["uid"] = KubeJson.DeterministicUid(ScenarioCluster.HostName, "Pod", hostNamespace, hostName);
        }

        targetRef.Remove("resourceVersion");
    }

    private static IEnumerable<JsonObject> Items(JsonNode? node) =>
        node is JsonArray array ? array.OfType<JsonObject>() : [];
}
