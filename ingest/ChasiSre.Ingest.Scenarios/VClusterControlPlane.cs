using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Scenarios;

/// <summary>The host objects of a vCluster's control plane, as the vcluster Helm chart and syncer create them in
/// StatefulSet mode: Namespace, StatefulSet, its pod, Services, kubeconfig and config Secrets, ServiceAccounts.</summary>
internal static class VClusterControlPlane
{
    public const string SyncerImage = "ghcr.io/loft-sh/vcluster-oss:0.26.0";
    private const string KubeconfigName = "my-vcluster";

    public static IEnumerable<JsonObject> Objects(string vcluster, string hostNamespace, DateTimeOffset startTime, string? nodeName)
    {
        var created = KubeJson.Timestamp(startTime.AddDays(-7));
        var started = KubeJson.Timestamp(startTime.AddMinutes(-30));
        var selector = new Dictionary<string, string>
        {
            [VClusterNaming.AppLabel] = VClusterNaming.AppLabelValue,
            [VClusterNaming.ReleaseLabel] = vcluster,
        };

        yield return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject
            {
                ["name"] = hostNamespace,
                ["uid"] = KubeJson.DeterministicUid("host", "Namespace", hostNamespace),
                ["creationTimestamp"] = created,
                ["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = hostNamespace },
            },
            ["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") },
            ["status"] = new JsonObject { ["phase"] = "Active" },
        };

        yield return ServiceAccount("vc-" + vcluster, vcluster, hostNamespace, created);
        yield return ServiceAccount(VClusterNaming.WorkloadServiceAccountName(vcluster), vcluster, hostNamespace, created);

        var statefulSetUid = KubeJson.DeterministicUid("host", "StatefulSet", hostNamespace, vcluster);
        yield return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "StatefulSet",
            ["metadata"] = Metadata(vcluster, hostNamespace, statefulSetUid, created, KubeJson.Labels(selector), generation: true),
            ["spec"] = new JsonObject
            {
                ["replicas"] = 1,
                ["serviceName"] = VClusterNaming.HeadlessServiceName(vcluster),
                ["podManagementPolicy"] = "Parallel",
                ["selector"] = new JsonObject { ["matchLabels"] = KubeJson.Labels(selector) },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = KubeJson.Labels(selector) },
                    ["spec"] = PodSpec(vcluster, nodeName: null),
                },
                ["volumeClaimTemplates"] = new JsonArray(new JsonObject
                {
                    ["metadata"] = new JsonObject { ["name"] = "data" },
                    ["spec"] = new JsonObject
                    {
                        ["accessModes"] = new JsonArray("ReadWriteOnce"),
                        ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "5Gi" } },
                    },
                }),
            },
            ["status"] = new JsonObject
            {
                ["observedGeneration"] = 1,
                ["replicas"] = 1,
                ["readyReplicas"] = 1,
                ["currentReplicas"] = 1,
                ["updatedReplicas"] = 1,
                ["availableReplicas"] = 1,
                ["currentRevision"] = vcluster + "-5d8f7c6b9d",
                ["updateRevision"] = vcluster + "-5d8f7c6b9d",
            },
        };

        var podName = vcluster + "-0";
        var podLabels = KubeJson.Labels(selector);
        podLabels["statefulset.kubernetes.io/pod-name"] = podName;
        podLabels["apps.kubernetes.io/pod-index"] = "0";
        podLabels["controller-revision-hash"] = vcluster + "-5d8f7c6b9d";
        var podMetadata = Metadata(podName, hostNamespace, KubeJson.DeterministicUid("host", "Pod", hostNamespace, podName), started, podLabels);
        podMetadata["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "StatefulSet",
            ["name"] = vcluster,
            ["uid"] = statefulSetUid,
            ["controller"] = true,
            ["blockOwnerDeletion"] = true,
        });
        yield return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = podMetadata,
            ["spec"] = PodSpec(vcluster, nodeName),
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["conditions"] = new JsonArray(
                    Condition("PodScheduled", started),
                    Condition("Initialized", started),
                    Condition("ContainersReady", started),
                    Condition("Ready", started)),
                ["qosClass"] = "Burstable",
                ["startTime"] = started,
                ["podIP"] = PodIp(hostNamespace, podName),
                ["containerStatuses"] = new JsonArray(new JsonObject
                {
                    ["name"] = VClusterNaming.SyncerContainerName,
                    ["image"] = SyncerImage,
                    ["imageID"] = SyncerImage,
                    ["ready"] = true,
                    ["started"] = true,
                    ["restartCount"] = 0,
                    ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = started } },
                }),
            },
        };

        var serviceLabels = KubeJson.Labels(selector);
        serviceLabels[VClusterNaming.ServiceLabel] = "true";
        yield return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = Metadata(vcluster, hostNamespace, KubeJson.DeterministicUid("host", "Service", hostNamespace, vcluster), created, serviceLabels),
            ["spec"] = new JsonObject
            {
                ["type"] = "ClusterIP",
                ["clusterIP"] = ClusterIp(hostNamespace, vcluster),
                ["ports"] = new JsonArray(
                    new JsonObject { ["name"] = "https", ["port"] = 443, ["targetPort"] = 8443, ["protocol"] = "TCP" },
                    new JsonObject { ["name"] = "kubelet", ["port"] = 10250, ["targetPort"] = 8443, ["protocol"] = "TCP" }),
                ["selector"] = KubeJson.Labels(selector),
            },
            ["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() },
        };

        var headless = VClusterNaming.HeadlessServiceName(vcluster);
        yield return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = Metadata(headless, hostNamespace, KubeJson.DeterministicUid("host", "Service", hostNamespace, headless), created, KubeJson.Labels(selector)),
            ["spec"] = new JsonObject
            {
                ["clusterIP"] = "None",
                ["publishNotReadyAddresses"] = true,
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = 443, ["targetPort"] = 8443, ["protocol"] = "TCP" }),
                ["selector"] = KubeJson.Labels(selector),
            },
        };

        yield return KubeconfigSecret(vcluster, hostNamespace, startTime, created);
        yield return ConfigSecret(vcluster, hostNamespace, created);
    }

    private static JsonObject KubeconfigSecret(string vcluster, string hostNamespace, DateTimeOffset startTime, string created)
    {
        var (caPem, certPem, keyPem) = Certificates(vcluster, hostNamespace, startTime);
        var kubeconfig = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - cluster:
                certificate-authority-data: {KubeJson.Base64(caPem)}
                server: https://localhost:8443
              name: {KubeconfigName}
            contexts:
            - context:
                cluster: {KubeconfigName}
                user: {KubeconfigName}
              name: {KubeconfigName}
            current-context: {KubeconfigName}
            preferences: {"{}"}
            users:
            - name: {KubeconfigName}
              user:
                client-certificate-data: {KubeJson.Base64(certPem)}
                client-key-data: {KubeJson.Base64(keyPem)}

            """;
        var name = VClusterNaming.KubeconfigSecretName(vcluster);
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = Metadata(name, hostNamespace, KubeJson.DeterministicUid("host", "Secret", hostNamespace, name), created, new JsonObject
            {
                [VClusterNaming.AppLabel] = VClusterNaming.AppLabelValue,
                [VClusterNaming.VClusterNameLabel] = vcluster,
            }),
            ["type"] = "Opaque",
            ["data"] = new JsonObject
            {
                ["config"] = KubeJson.Base64(kubeconfig),
                ["certificate-authority"] = KubeJson.Base64(caPem),
                ["client-certificate"] = KubeJson.Base64(certPem),
                ["client-key"] = KubeJson.Base64(keyPem),
                ["token"] = KubeJson.Base64(Token(vcluster, hostNamespace, startTime)),
            },
        };
    }

    private static JsonObject ConfigSecret(string vcluster, string hostNamespace, string created)
    {
        const string config = """
            controlPlane:
              backingStore:
                database:
                  embedded:
                    enabled: true
              statefulSet:
                persistence:
                  volumeClaim:
                    size: 5Gi
            sync:
              toHost:
                pods:
                  enabled: true
                services:
                  enabled: true
                endpoints:
                  enabled: true
                persistentVolumeClaims:
                  enabled: true
                configMaps:
                  enabled: true
                  all: false
                secrets:
                  enabled: true
                  all: false
              fromHost:
                events:
                  enabled: true
                nodes:
                  enabled: false
                  selector:
                    all: false
            exportKubeConfig:
              server: ""

            """;
        var name = VClusterNaming.ConfigSecretName(vcluster);
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = Metadata(name, hostNamespace, KubeJson.DeterministicUid("host", "Secret", hostNamespace, name), created, new JsonObject
            {
                [VClusterNaming.AppLabel] = VClusterNaming.AppLabelValue,
                [VClusterNaming.ReleaseLabel] = vcluster,
            }),
            ["type"] = "Opaque",
            ["data"] = new JsonObject { ["config.yaml"] = KubeJson.Base64(config) },
        };
    }

    /// <summary>A CA and a client certificate valid from 30 days before the start for a year, like the ones the syncer
    /// writes. Key material is random (no seedable key generation), so two builds differ only in these bytes.</summary>
    private static (string Ca, string Cert, string Key) Certificates(string vcluster, string hostNamespace, DateTimeOffset startTime)
    {
        var notBefore = startTime.AddDays(-30);
        var notAfter = startTime.AddDays(335);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=vcluster-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        using var ca = caRequest.CreateSelfSigned(notBefore.AddDays(-1), notBefore.AddYears(10));

        using var clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var clientRequest = new CertificateRequest("CN=kube-apiserver-kubelet-client, O=system:masters", clientKey, HashAlgorithmName.SHA256);
        clientRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        clientRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        var serial = SHA256.HashData(Encoding.UTF8.GetBytes($"{hostNamespace}/{vcluster}"))[..16];
        serial[0] &= 0x7F;
        using var client = clientRequest.Create(ca, notBefore, notAfter, serial);
        return (ca.ExportCertificatePem() + "\n", client.ExportCertificatePem() + "\n", clientKey.ExportECPrivateKeyPem() + "\n");
    }

    private static string Token(string vcluster, string hostNamespace, DateTimeOffset startTime)
    {
        static string Url(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var kid = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(vcluster)))[..16];
        var header = Url($$"""{"alg":"RS256","kid":"{{kid}}"}""");
        var payload = Url($$"""{"iss":"kubernetes/serviceaccount","sub":"system:serviceaccount:{{hostNamespace}}:vc-{{vcluster}}","iat":{{startTime.AddDays(-7).ToUnixTimeSeconds()}}}""");
        var signature = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(header + "." + payload))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{header}.{payload}.{signature}";
    }

    private static JsonObject PodSpec(string vcluster, string? nodeName)
    {
        var spec = new JsonObject
        {
            ["serviceAccountName"] = "vc-" + vcluster,
            ["terminationGracePeriodSeconds"] = 10,
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = VClusterNaming.SyncerContainerName,
                ["image"] = SyncerImage,
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["containerPort"] = 8443, ["protocol"] = "TCP" }),
                ["resources"] = new JsonObject
                {
                    ["requests"] = new JsonObject { ["cpu"] = "200m", ["memory"] = "256Mi", ["ephemeral-storage"] = "400Mi" },
                    ["limits"] = new JsonObject { ["memory"] = "2Gi", ["ephemeral-storage"] = "8Gi" },
                },
                ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "data", ["mountPath"] = "/data" }),
            }),
        };
        if (nodeName is not null)
        {
            spec["nodeName"] = nodeName;
        }

        return spec;
    }

    private static JsonObject ServiceAccount(string name, string vcluster, string hostNamespace, string created) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ServiceAccount",
        ["metadata"] = Metadata(name, hostNamespace, KubeJson.DeterministicUid("host", "ServiceAccount", hostNamespace, name), created, new JsonObject
        {
            [VClusterNaming.AppLabel] = VClusterNaming.AppLabelValue,
            [VClusterNaming.ReleaseLabel] = vcluster,
        }),
    };

    private static JsonObject Metadata(string name, string ns, string uid, string created, JsonObject labels, bool generation = false)
    {
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["uid"] = uid,
            ["creationTimestamp"] = created,
            ["labels"] = labels,
        };
        if (generation)
        {
            metadata["generation"] = 1;
        }

        return metadata;
    }

    private static JsonObject Condition(string type, string time) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = time,
    };

    private static string ClusterIp(string ns, string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(ns + "/" + name));
        return $"10.96.{hash[0]}.{Math.Max((byte)2, hash[1])}";
    }

    private static string PodIp(string ns, string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(ns + "/" + name));
        return $"10.42.{hash[0]}.{Math.Max((byte)2, hash[1])}";
    }
}
