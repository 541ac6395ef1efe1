using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChasiSre.Operator;

/// <summary>Where an agent's workloads run: on the host, or inside one vCluster (ingest only, distributed settings).</summary>
/// <param name="VCluster">The vCluster's name; null on the host.</param>
/// <param name="HostNamespace">The vCluster's namespace on the host.</param>
/// <param name="Tenant">The vCluster's tenant.</param>
public sealed record AgentPlacement(string? VCluster = null, string HostNamespace = "", string Tenant = "")
{
    public static AgentPlacement Host { get; } = new();

    public bool InVCluster => VCluster is not null;
}

/// <summary>
/// The objects an SreAgent runs, rendered exactly as the Helm chart renders them for the equivalent values
/// (deploy/helm/chasi-sre/templates: configmap.yaml, serviceaccounts.yaml, rbac.yaml, workloads.yaml): one ConfigMap
/// with appsettings.json, a ServiceAccount per workload, read-only ClusterRoles for ingest and gateway, and a Deployment
/// (StatefulSet for streams) per workload with the chart's args, environment, probes, resources and security contexts.
/// A test compares them with <c>helm template</c>. Names are <c>&lt;agent&gt;-&lt;component&gt;</c> (the chart with
/// <c>fullnameOverride: &lt;agent&gt;</c>). Not rendered: PodDisruptionBudgets, NetworkPolicies, the API Service and token
/// Secret, Strimzi topics and Grafana ConfigMaps (install the chart for those), and the diagnosis PVC (the knowledge base
/// lives on an emptyDir and is rebuilt on start; point <c>endpoints.qdrant</c> at Qdrant to keep vectors).
/// </summary>
public static class AgentWorkloads
{
    public const string ChartName = "chasi-sre";
    public const string ManagedBy = "chasi-operator";

    /// <summary>The objects for <paramref name="placement"/>, in apply order (ConfigMap, ServiceAccounts, RBAC, workloads).</summary>
    public static IReadOnlyList<JsonObject> Render(string agent, string @namespace, AgentSpec spec, AgentPlacement placement)
    {
        ArgumentException.ThrowIfNullOrEmpty(agent);
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(placement);
        var components = placement.InVCluster ? ["ingest"] : spec.Components;
        var appsettings = AppSettings(spec, placement).ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        var objects = new List<JsonObject>
        {
            new()
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = Metadata(ComponentName(agent, "config"), @namespace, Labels(agent, null)),
                ["data"] = new JsonObject { ["appsettings.json"] = appsettings },
            },
        };
        foreach (var component in components)
        {
            objects.Add(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ServiceAccount",
                ["metadata"] = Metadata(ComponentName(agent, component), @namespace, Labels(agent, component)),
                ["automountServiceAccountToken"] = NeedsKubeApi(component),
            });
        }

        foreach (var component in components.Where(c => c is "ingest" or "gateway"))
        {
            var roleName = $"{@namespace}-{ComponentName(agent, component)}";
            objects.Add(new JsonObject
            {
                ["apiVersion"] = "rbac.authorization.k8s.io/v1",
                ["kind"] = "ClusterRole",
                ["metadata"] = Metadata(roleName, null, Labels(agent, component)),
                ["rules"] = Rules(component),
            });
            objects.Add(new JsonObject
            {
                ["apiVersion"] = "rbac.authorization.k8s.io/v1",
                ["kind"] = "ClusterRoleBinding",
                ["metadata"] = Metadata(roleName, null, Labels(agent, component)),
                ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = roleName },
                ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = ComponentName(agent, component), ["namespace"] = @namespace }),
            });
        }

        var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(appsettings)));
        foreach (var component in components)
        {
            objects.Add(Workload(agent, @namespace, spec, component, checksum));
        }

        return objects;
    }

    /// <summary><c>&lt;agent&gt;-&lt;component&gt;</c> within 63 characters, as the chart's <c>chasi.componentName</c>.</summary>
    public static string ComponentName(string agent, string component)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(component);
        var prefix = agent.Length > 62 - component.Length ? agent[..(62 - component.Length)] : agent;
        return $"{prefix.TrimEnd('-')}-{component}";
    }

    /// <summary>appsettings.json of the chart's <c>chasi.appsettings</c> for these settings.</summary>
    public static JsonObject AppSettings(AgentSpec spec, AgentPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(placement);
        var properties = new JsonObject { ["security.protocol"] = spec.KafkaSecurityProtocol };
        if (spec.KafkaSecurityProtocol.StartsWith("SASL", StringComparison.Ordinal))
        {
            properties["sasl.mechanism"] = spec.SaslMechanism;
            properties["sasl.username"] = spec.SaslUsername;
        }

        if (spec.KafkaCa is { } ca)
        {
            properties["ssl.ca.location"] = $"/etc/chasi/kafka-ca/{ca.Key}";
        }

        var settings = new JsonObject
        {
            ["Kafka"] = new JsonObject
            {
                ["BootstrapServers"] = spec.KafkaBootstrapServers,
                ["ClientId"] = spec.KafkaClientId,
                ["SecurityProtocol"] = spec.KafkaSecurityProtocol,
                ["Properties"] = properties,
            },
        };
        if (placement.InVCluster)
        {
            settings["Ingest"] = new JsonObject
            {
                ["Mode"] = "Distributed",
                ["ClusterName"] = placement.VCluster,
                ["Tenant"] = placement.Tenant.Length > 0 ? placement.Tenant : placement.VCluster,
                ["HostCluster"] = spec.ClusterName,
                ["HostNamespace"] = placement.HostNamespace,
                ["DiscoverVClusters"] = false,
                ["IncludeConfigMapData"] = false,
            };
            return settings;
        }

        var scheme = spec.ClickHouseSecure ? "https" : "http";
        settings["ClickHouse"] = new JsonObject
        {
            ["Backend"] = "Server",
            ["Endpoint"] = $"{scheme}://{spec.ClickHouseHost}:{spec.ClickHousePort.ToString(CultureInfo.InvariantCulture)}",
            ["Database"] = spec.ClickHouseDatabase,
            ["Username"] = spec.ClickHouseUsername,
        };
        settings["Ingest"] = new JsonObject
        {
            ["Mode"] = "Centralized",
            ["ClusterName"] = spec.ClusterName,
            // Distributed: an agent inside each selected vCluster watches it; the host agent watches the host only.
            ["DiscoverVClusters"] = spec.Mode != "distributed",
            ["VClusterEndpointTemplate"] = spec.EndpointTemplate ?? "https://{name}.{namespace}:443",
            ["TenantNamespacePattern"] = spec.TenantNamespacePattern,
            ["IncludeConfigMapData"] = false,
        };
        settings["Gateway"] = new JsonObject { ["ClusterName"] = spec.ClusterName, ["TenantNamespacePattern"] = spec.TenantNamespacePattern };
        settings["Streams"] = new JsonObject { ["ApplicationId"] = "chasi-streams", ["Partitions"] = 12, ["Threads"] = 1, ["StateDirectory"] = "/var/lib/chasi/streams" };
        var llm = new JsonObject { ["Provider"] = spec.LlmProvider };
        if (spec.LlmEndpoint.Length > 0)
        {
            llm["Endpoint"] = spec.LlmEndpoint;
        }

        if (spec.LlmModel.Length > 0)
        {
            llm["Model"] = spec.LlmModel;
        }

        if (spec.LlmModelPath.Length > 0)
        {
            llm["ModelPath"] = spec.LlmModelPath;
        }

        var knowledge = new JsonObject { ["DataDirectory"] = "/var/lib/chasi/knowledge", ["VectorStore"] = spec.QdrantEndpoint.Length > 0 ? "Qdrant" : "Embedded" };
        if (spec.QdrantEndpoint.Length > 0)
        {
            knowledge["QdrantEndpoint"] = spec.QdrantEndpoint;
            knowledge["QdrantCollection"] = spec.QdrantCollection;
        }

        settings["Diagnosis"] = new JsonObject { ["Llm"] = llm, ["Knowledge"] = knowledge };
        settings["Api"] = new JsonObject { ["MaxRequestBodyBytes"] = 1048576, ["Alertmanager"] = new JsonObject { ["DefaultCluster"] = spec.ClusterName } };
        return settings;
    }

    private static JsonObject Workload(string agent, string @namespace, AgentSpec spec, string component, string checksum)
    {
        var name = ComponentName(agent, component);
        var stateful = component == "streams";
        var replicas = component is "ingest" or "gateway" ? 1 : spec.Replicas.GetValueOrDefault(component, 1);
        var workloadSpec = new JsonObject
        {
            ["replicas"] = replicas,
            ["revisionHistoryLimit"] = 5,
            ["selector"] = new JsonObject { ["matchLabels"] = SelectorLabels(agent, component) },
        };
        if (stateful)
        {
            workloadSpec["serviceName"] = name;
            workloadSpec["podManagementPolicy"] = "Parallel";
            workloadSpec["updateStrategy"] = new JsonObject { ["type"] = "RollingUpdate" };
        }
        else if (component is "ingest" or "gateway")
        {
            workloadSpec["strategy"] = new JsonObject { ["type"] = "Recreate" };
        }
        else
        {
            workloadSpec["strategy"] = new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = 0, ["maxSurge"] = 1 } };
        }

        var podSpec = new JsonObject
        {
            ["serviceAccountName"] = name,
            ["automountServiceAccountToken"] = NeedsKubeApi(component),
            ["enableServiceLinks"] = false,
            ["terminationGracePeriodSeconds"] = stateful ? 60 : 30,
            ["securityContext"] = new JsonObject
            {
                ["runAsNonRoot"] = true,
                ["runAsUser"] = 10001,
                ["runAsGroup"] = 10001,
                ["fsGroup"] = 10001,
                ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" },
            },
            ["containers"] = new JsonArray(Container(agent, spec, component)),
            ["volumes"] = Volumes(agent, spec, stateful),
        };
        if (!stateful && replicas > 1)
        {
            podSpec["affinity"] = new JsonObject
            {
                ["podAntiAffinity"] = new JsonObject
                {
                    ["preferredDuringSchedulingIgnoredDuringExecution"] = new JsonArray(new JsonObject
                    {
                        ["weight"] = 100,
                        ["podAffinityTerm"] = new JsonObject
                        {
                            ["topologyKey"] = "kubernetes.io/hostname",
                            ["labelSelector"] = new JsonObject { ["matchLabels"] = SelectorLabels(agent, component) },
                        },
                    }),
                },
            };
        }

        workloadSpec["template"] = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["labels"] = SelectorLabels(agent, component),
                ["annotations"] = new JsonObject { ["checksum/config"] = checksum },
            },
            ["spec"] = podSpec,
        };
        if (stateful)
        {
            workloadSpec["volumeClaimTemplates"] = new JsonArray(new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = "data", ["labels"] = SelectorLabels(agent, component) },
                ["spec"] = new JsonObject
                {
                    ["accessModes"] = new JsonArray("ReadWriteOnce"),
                    ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "10Gi" } },
                },
            });
        }

        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = stateful ? "StatefulSet" : "Deployment",
            ["metadata"] = Metadata(name, @namespace, Labels(agent, component)),
            ["spec"] = workloadSpec,
        };
    }

    private static JsonObject Container(string agent, AgentSpec spec, string component)
    {
        var runComponents = component == "diagnosis" ? "diagnosis,knowledge" : component;
        var env = new JsonArray(new JsonObject
        {
            ["name"] = "POD_NAME",
            ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = "metadata.name" } },
        });
        foreach (var variable in SecretEnv(spec, component))
        {
            env.Add(variable);
        }

        if (component == "streams")
        {
            // The chart's streams.extraEnv default: Server GC measured faster for the topology (docs/benchmarks.md).
            env.Add(new JsonObject { ["name"] = "DOTNET_gcServer", ["value"] = "1" });
        }

        var mounts = new JsonArray(
            new JsonObject { ["name"] = "config", ["mountPath"] = "/etc/chasi", ["readOnly"] = true },
            new JsonObject { ["name"] = "tmp", ["mountPath"] = "/tmp" },
            new JsonObject { ["name"] = "data", ["mountPath"] = "/var/lib/chasi" });
        if (spec.KafkaCa is not null)
        {
            mounts.Add(new JsonObject { ["name"] = "kafka-ca", ["mountPath"] = "/etc/chasi/kafka-ca", ["readOnly"] = true });
        }

        return new JsonObject
        {
            ["name"] = "chasi",
            ["image"] = $"{spec.ImageRepository}:{spec.ImageTag}",
            ["imagePullPolicy"] = spec.ImagePullPolicy,
            ["args"] = new JsonArray("run", "--components", runComponents, "--config", "/etc/chasi/appsettings.json", "--listen", "http://0.0.0.0:8080"),
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["containerPort"] = 8080, ["protocol"] = "TCP" }),
            ["env"] = env,
            ["startupProbe"] = Probe("/healthz", null, 5, 3, 60),
            ["livenessProbe"] = Probe("/healthz", 10, 10, 3, 6),
            ["readinessProbe"] = Probe("/readyz", 5, 10, 3, 3),
            ["resources"] = spec.Resources[component].DeepClone(),
            ["securityContext"] = new JsonObject
            {
                ["allowPrivilegeEscalation"] = false,
                ["readOnlyRootFilesystem"] = true,
                ["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") },
            },
            ["volumeMounts"] = mounts,
        };
    }

    private static JsonArray Volumes(string agent, AgentSpec spec, bool stateful)
    {
        var volumes = new JsonArray(
            new JsonObject { ["name"] = "config", ["configMap"] = new JsonObject { ["name"] = ComponentName(agent, "config") } },
            new JsonObject { ["name"] = "tmp", ["emptyDir"] = new JsonObject { ["sizeLimit"] = "1Gi" } });
        if (!stateful)
        {
            volumes.Add(new JsonObject { ["name"] = "data", ["emptyDir"] = new JsonObject { ["sizeLimit"] = "2Gi" } });
        }

        if (spec.KafkaCa is { } ca)
        {
            volumes.Add(new JsonObject
            {
                ["name"] = "kafka-ca",
                ["secret"] = new JsonObject
                {
                    ["secretName"] = ca.Name,
                    ["items"] = new JsonArray(new JsonObject { ["key"] = ca.Key, ["path"] = ca.Key }),
                },
            });
        }

        return volumes;
    }

    /// <summary>The chart's <c>chasi.secretEnv</c>: secrets as <c>Section__Key</c> variables, per workload.</summary>
    private static IEnumerable<JsonObject> SecretEnv(AgentSpec spec, string component)
    {
        static JsonObject FromSecret(string name, SecretRef secret) => new()
        {
            ["name"] = name,
            ["valueFrom"] = new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = secret.Name, ["key"] = secret.Key } },
        };

        if (spec.SaslPassword is { } sasl && spec.KafkaSecurityProtocol.StartsWith("SASL", StringComparison.Ordinal))
        {
            yield return FromSecret("Kafka__Properties__sasl.password", sasl);
        }

        if (component is "sink" or "diagnosis" or "api")
        {
            var scheme = spec.ClickHouseSecure ? "https" : "http";
            var port = spec.ClickHousePort.ToString(CultureInfo.InvariantCulture);
            if (spec.ClickHousePassword is { } password)
            {
                yield return FromSecret("ClickHouse__Password", password);
                yield return new JsonObject { ["name"] = "ClickHouse__ServerConnectionString", ["value"] = $"Host={spec.ClickHouseHost};Port={port};Protocol={scheme};Username={spec.ClickHouseUsername};Password=$(ClickHouse__Password);Database={spec.ClickHouseDatabase}" };
            }
            else
            {
                yield return new JsonObject { ["name"] = "ClickHouse__ServerConnectionString", ["value"] = $"Host={spec.ClickHouseHost};Port={port};Protocol={scheme};Username={spec.ClickHouseUsername};Database={spec.ClickHouseDatabase}" };
            }
        }

        if (component == "diagnosis" && spec.LlmApiKey is { } llmKey)
        {
            yield return FromSecret("Diagnosis__Llm__ApiKey", llmKey);
        }

        if (component is "diagnosis" or "api" && spec.QdrantEndpoint.Length > 0 && spec.QdrantApiKey is { } qdrantKey)
        {
            yield return FromSecret("Diagnosis__Knowledge__QdrantApiKey", qdrantKey);
        }
    }

    private static JsonObject Probe(string path, int? initialDelay, int period, int timeout, int failureThreshold)
    {
        var probe = new JsonObject { ["httpGet"] = new JsonObject { ["path"] = path, ["port"] = "http" } };
        if (initialDelay is { } delay)
        {
            probe["initialDelaySeconds"] = delay;
        }

        probe["periodSeconds"] = period;
        probe["timeoutSeconds"] = timeout;
        probe["failureThreshold"] = failureThreshold;
        return probe;
    }

    /// <summary>The chart's read-only rules (templates/rbac.yaml): ingest reads what it watches, gateway finds adapters.</summary>
    private static JsonArray Rules(string component)
    {
        static JsonObject Rule(string group, string[] resources, params string[] verbs) => new()
        {
            ["apiGroups"] = new JsonArray(group),
            ["resources"] = new JsonArray([.. resources.Select(r => (JsonNode?)r)]),
            ["verbs"] = new JsonArray([.. verbs.Select(v => (JsonNode?)v)]),
        };

        string[] read = ["get", "list", "watch"];
        return component == "ingest"
            ? new JsonArray(
                Rule("", ["namespaces", "nodes", "persistentvolumes", "resourcequotas", "limitranges", "configmaps", "persistentvolumeclaims", "services", "endpoints", "pods", "events"], read),
                Rule("", ["pods/log"], "get"),
                Rule("", ["secrets"], read),
                Rule("storage.k8s.io", ["storageclasses"], read),
                Rule("admissionregistration.k8s.io", ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"], read),
                Rule("policy", ["poddisruptionbudgets"], read),
                Rule("networking.k8s.io", ["networkpolicies", "ingresses"], read),
                Rule("autoscaling", ["horizontalpodautoscalers"], read),
                Rule("discovery.k8s.io", ["endpointslices"], read),
                Rule("batch", ["cronjobs", "jobs"], read),
                Rule("apps", ["daemonsets", "statefulsets", "deployments", "replicasets"], read),
                Rule("core.k8sgpt.ai", ["results"], read))
            : new JsonArray(
                Rule("", ["pods", "services"], "list", "watch"),
                Rule("apps", ["statefulsets", "deployments"], "list", "watch"),
                Rule("", ["secrets"], "get"));
    }

    private static bool NeedsKubeApi(string component) => component is "ingest" or "gateway";

    private static JsonObject Metadata(string name, string? @namespace, JsonObject labels)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (@namespace is not null)
        {
            metadata["namespace"] = @namespace;
        }

        metadata["labels"] = labels;
        return metadata;
    }

    private static JsonObject Labels(string agent, string? component)
    {
        var labels = new JsonObject
        {
            ["app.kubernetes.io/name"] = ChartName,
            ["app.kubernetes.io/instance"] = agent,
            ["app.kubernetes.io/managed-by"] = ManagedBy,
            ["app.kubernetes.io/part-of"] = "chasi-sre",
        };
        if (component is not null)
        {
            labels["app.kubernetes.io/component"] = component;
        }

        return labels;
    }

    private static JsonObject SelectorLabels(string agent, string component) => new()
    {
        ["app.kubernetes.io/name"] = ChartName,
        ["app.kubernetes.io/instance"] = agent,
        ["app.kubernetes.io/component"] = component,
    };
}
