namespace ChasiSre.Streams.Detection.Tests;

/// <summary>Service, Ingress, NetworkPolicy and admission webhook detectors, table-driven.</summary>
public sealed class NetworkDetectorTests
{
    private const string A = "team-a";

    private static readonly Dictionary<string, DetectorCase> Cases = new(StringComparer.Ordinal)
    {
        ["svc-no-pods"] = new(c =>
        {
            c.Add(A, Objects.Service("web"));
            c.Add(A, Objects.Endpoints("web"));
        }, A, "Service", "shop", "web"),
        ["svc-not-ready"] = new(c =>
        {
            c.Add(A, Objects.Deployment("web", ready: 0));
            c.Add(A, Objects.ReplicaSet("web-7d9f", "web"));
            c.Add(A, Objects.Pod("web-7d9f-a", ready: false));
            c.Add(A, Objects.Service("web"));
            c.Add(A, Objects.Endpoints("web", notReady: "[" + Objects.Address("web-7d9f-a") + "]"));
        }, A, "Endpoints", "shop", "web"),
        ["svc-partly-ready"] = new(c =>
        {
            c.Add(A, Objects.Pod("web-7d9f-a"));
            c.Add(A, Objects.Pod("web-7d9f-b", ready: false));
            c.Add(A, Objects.Service("web"));
            c.Add(A, Objects.Endpoints("web", ready: "[" + Objects.Address("web-7d9f-a") + "]", notReady: "[" + Objects.Address("web-7d9f-b") + "]"));
        }, A, "Service", "shop", "web"),
        ["svc-healthy"] = new(c =>
        {
            c.Add(A, Objects.Pod("web-7d9f-a"));
            c.Add(A, Objects.Service("web"));
            c.Add(A, Objects.Endpoints("web", ready: "[" + Objects.Address("web-7d9f-a") + "]"));
        }, A, "Service", "shop", "web"),
        ["svc-warning-event"] = new(c =>
        {
            c.Add(A, Objects.Pod("web-7d9f-a"));
            c.Add(A, Objects.Service("web"));
            c.Add(A, Objects.Endpoints("web", ready: "[" + Objects.Address("web-7d9f-a") + "]"));
            c.Add(A, Objects.Event("e1", "Service", "web", "SyncLoadBalancerFailed", "Error syncing load balancer: quota exceeded", uid: "uid-svc-web"));
        }, A, "Service", "shop", "web"),
        ["svc-event-other-kind-same-name"] = new(c =>
        {
            c.Add(A, Objects.Pod("web-7d9f-a"));
            c.Add(A, Objects.Service("web"));
            c.Add(A, Objects.Endpoints("web", ready: "[" + Objects.Address("web-7d9f-a") + "]"));
            c.Add(A, Objects.Event("e1", "Deployment", "web", "FailedCreate", "exceeded quota"));
        }, A, "Service", "shop", "web"),
        ["svc-event-deleted-namesake"] = new(c =>
        {
            c.Add(A, Objects.Pod("web-7d9f-a"));
            c.Add(A, Objects.Service("web"));
            c.Add(A, Objects.Endpoints("web", ready: "[" + Objects.Address("web-7d9f-a") + "]"));
            c.Add(A, Objects.Event("e1", "Service", "web", "SyncLoadBalancerFailed", "old failure", uid: "uid-of-a-deleted-service"));
        }, A, "Service", "shop", "web"),
        ["ing-backend-missing"] = new(c => c.Add(A, Ingress("ingressClassName", "nginx", backend: "api")), A, "Ingress", "shop", "web"),
        ["ing-tls-missing"] = new(c =>
        {
            c.Add(A, Ingress("ingressClassName", "nginx", backend: "web", tls: "web-tls"));
            c.Add(A, Objects.Service("web"));
        }, A, "Ingress", "shop", "web"),
        ["ing-no-class"] = new(c =>
        {
            c.Add(A, Ingress(null, null, backend: "web"));
            c.Add(A, Objects.Service("web"));
        }, A, "Ingress", "shop", "web"),
        ["ing-class-missing"] = new(c =>
        {
            c.Add(A, Ingress("ingressClassName", "traefik", backend: "web"));
            c.Add(A, Objects.Service("web"));
            c.Add(A, Objects.Parse("""{"apiVersion":"networking.k8s.io/v1","kind":"IngressClass","metadata":{"name":"nginx"},"spec":{"controller":"k8s.io/ingress-nginx"}}"""));
        }, A, "Ingress", "shop", "web"),
        ["ing-healthy"] = new(c =>
        {
            c.Add(A, Ingress("ingressClassName", "nginx", backend: "web", tls: "web-tls"));
            c.Add(A, Objects.Service("web"));
            c.Add(A, Objects.Parse("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"web-tls","namespace":"shop"},"type":"kubernetes.io/tls","data":{"tls.crt":"eA==","tls.key":"eA=="}}"""));
            c.Add(A, Objects.Parse("""{"apiVersion":"networking.k8s.io/v1","kind":"IngressClass","metadata":{"name":"nginx"},"spec":{"controller":"k8s.io/ingress-nginx"}}"""));
        }, A, "Ingress", "shop", "web"),
        ["np-allow-all"] = new(c => c.Add(A, Objects.Parse("""{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"open","namespace":"shop"},"spec":{"podSelector":{},"ingress":[{}],"policyTypes":["Ingress"]}}""")), A, "NetworkPolicy", "shop", "open"),
        ["np-default-deny"] = new(c => c.Add(A, Objects.Parse("""{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"deny","namespace":"shop"},"spec":{"podSelector":{},"policyTypes":["Ingress"]}}""")), A, "NetworkPolicy", "shop", "deny"),
        ["np-selects-none"] = new(c =>
        {
            c.Add(A, Objects.Pod("web-7d9f-a"));
            c.Add(A, Objects.Parse("""{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"api","namespace":"shop"},"spec":{"podSelector":{"matchLabels":{"app":"api"}}}}"""));
        }, A, "NetworkPolicy", "shop", "api"),
        ["np-selects-pods"] = new(c =>
        {
            c.Add(A, Objects.Pod("web-7d9f-a"));
            c.Add(A, Objects.Parse("""{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"web","namespace":"shop"},"spec":{"podSelector":{"matchExpressions":[{"key":"app","operator":"In","values":["web"]}]}}}"""));
        }, A, "NetworkPolicy", "shop", "web"),
        ["wh-service-missing"] = new(c => c.Add(A, Webhook("Fail", caBundle: "Y2E=")), A, "ValidatingWebhookConfiguration", null, "policy"),
        ["wh-no-cabundle"] = new(c =>
        {
            c.Add(A, Webhook("Fail", caBundle: null));
            c.Add(A, Objects.Service("policy", selector: "{\"app\":\"policy\"}", ns: "infra"));
            c.Add(A, Objects.Pod("policy-1", ns: "infra", labels: "{\"app\":\"policy\"}"));
        }, A, "ValidatingWebhookConfiguration", null, "policy"),
        ["wh-backend-down"] = new(c =>
        {
            c.Add(A, Webhook("Fail", caBundle: "Y2E="));
            c.Add(A, Objects.Service("policy", selector: "{\"app\":\"policy\"}", ns: "infra"));
            c.Add(A, Objects.Pod("policy-1", ns: "infra", labels: "{\"app\":\"policy\"}", phase: "Pending", ready: false));
        }, A, "ValidatingWebhookConfiguration", null, "policy"),
        ["wh-no-pods"] = new(c =>
        {
            c.Add(A, Webhook("Ignore", caBundle: "Y2E="));
            c.Add(A, Objects.Service("policy", selector: "{\"app\":\"policy\"}", ns: "infra"));
        }, A, "ValidatingWebhookConfiguration", null, "policy"),
        ["wh-healthy"] = new(c =>
        {
            c.Add(A, Webhook("Fail", caBundle: "Y2E="));
            c.Add(A, Objects.Service("policy", selector: "{\"app\":\"policy\"}", ns: "infra"));
            c.Add(A, Objects.Pod("policy-1", ns: "infra", labels: "{\"app\":\"policy\"}"));
        }, A, "ValidatingWebhookConfiguration", null, "policy"),
        ["gw-class-not-accepted"] = new(c => c.Add(A, GatewayClass(accepted: false)), A, "GatewayClass", null, "eg"),
        ["gw-class-accepted"] = new(c => c.Add(A, GatewayClass(accepted: true)), A, "GatewayClass", null, "eg"),
        ["gw-not-programmed"] = new(c =>
        {
            c.Add(A, GatewayClass(accepted: true));
            c.Add(A, Gateway("eg", programmed: false));
        }, A, "Gateway", "shop", "public"),
        ["gw-class-missing"] = new(c => c.Add(A, Gateway("istio", programmed: true)), A, "Gateway", "shop", "public"),
        ["gw-healthy"] = new(c =>
        {
            c.Add(A, GatewayClass(accepted: true));
            c.Add(A, Gateway("eg", programmed: true));
        }, A, "Gateway", "shop", "public"),
        ["route-parent-missing"] = new(c =>
        {
            c.Add(A, Objects.Service("web"));
            c.Add(A, Route(port: 80));
        }, A, "HTTPRoute", "shop", "web"),
        ["route-port-mismatch"] = new(c =>
        {
            c.Add(A, Gateway("eg", programmed: true));
            c.Add(A, Objects.Service("web"));
            c.Add(A, Route(port: 8443));
        }, A, "HTTPRoute", "shop", "web"),
        ["route-backend-missing"] = new(c =>
        {
            c.Add(A, Gateway("eg", programmed: true));
            c.Add(A, Route(port: 80));
        }, A, "HTTPRoute", "shop", "web"),
        ["route-healthy"] = new(c =>
        {
            c.Add(A, Gateway("eg", programmed: true));
            c.Add(A, Objects.Service("web"));
            c.Add(A, Route(port: 80));
        }, A, "HTTPRoute", "shop", "web"),
    };

    public static TheoryData<string, string, string?, string?> Table => new()
    {
        { "gateway.config", "gw-class-not-accepted", "NotAccepted", "NetworkService" },
        { "gateway.config", "gw-class-accepted", null, null },
        { "gateway.config", "gw-not-programmed", "NotProgrammed", "NetworkService" },
        { "gateway.config", "gw-class-missing", "GatewayClassMissing", "NetworkService" },
        { "gateway.config", "gw-healthy", null, null },
        { "gateway.config", "route-parent-missing", "ParentMissing", "NetworkService" },
        { "gateway.config", "route-port-mismatch", "BackendPortMismatch", "NetworkService" },
        { "gateway.config", "route-backend-missing", "BackendMissing", "NetworkService" },
        { "gateway.config", "route-healthy", null, null },
        { "service.endpoints", "svc-no-pods", "NoPodsMatchSelector", "NetworkService" },
        { "service.endpoints", "svc-not-ready", "NoReadyEndpoints", "NetworkService" },
        { "service.endpoints", "svc-partly-ready", "NotReadyEndpoints", "NetworkService" },
        { "service.endpoints", "svc-healthy", null, null },
        { "service.endpoints", "svc-warning-event", "WarningEvents", "NetworkService" },
        { "service.endpoints", "svc-event-other-kind-same-name", null, null },
        { "service.endpoints", "svc-event-deleted-namesake", null, null },
        { "ingress.config", "ing-backend-missing", "BackendServiceMissing", "NetworkService" },
        { "ingress.config", "ing-tls-missing", "TlsSecretMissing", "ConfigError" },
        { "ingress.config", "ing-no-class", "NoIngressClass", "NetworkService" },
        { "ingress.config", "ing-class-missing", "IngressClassMissing", "NetworkService" },
        { "ingress.config", "ing-healthy", null, null },
        { "networkpolicy.selection", "np-allow-all", "AllowsAll", "NetworkService" },
        { "networkpolicy.selection", "np-default-deny", null, null },
        { "networkpolicy.selection", "np-selects-none", "SelectsNoPods", "NetworkService" },
        { "networkpolicy.selection", "np-selects-pods", null, null },
        { "admission.webhook", "wh-service-missing", "ServiceMissing", "AdmissionRejected" },
        { "admission.webhook", "wh-no-cabundle", "MissingCABundle", "AdmissionRejected" },
        { "admission.webhook", "wh-backend-down", "BackendNotRunning", "AdmissionRejected" },
        { "admission.webhook", "wh-no-pods", "NoBackendPods", "AdmissionRejected" },
        { "admission.webhook", "wh-healthy", null, null },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Detect_NetworkCase_ExpectedFinding(string detector, string caseName, string? reason, string? category) =>
        Cases[caseName].Expect(detector, reason, category);

    [Fact]
    public void Detect_ServiceWhosePodsCrash_CauseIsTheirDeployment()
    {
        var finding = Cases["svc-not-ready"].Expect("service.endpoints", "NoReadyEndpoints", "NetworkService")!;

        Assert.Equal(("Deployment", "web"), (finding.Cause?.Kind, finding.Cause?.Name));
    }

    [Fact]
    public void Detect_WebhookFailurePolicy_FailIsErrorIgnoreIsWarning()
    {
        var fail = Cases["wh-backend-down"].Expect("admission.webhook", "BackendNotRunning", "AdmissionRejected")!;
        var ignore = Cases["wh-no-pods"].Expect("admission.webhook", "NoBackendPods", "AdmissionRejected")!;

        Assert.Equal(Schemas.V1.Severity.Error, fail.Severity);
        Assert.Equal(Schemas.V1.Severity.Warning, ignore.Severity);
    }

    private static System.Text.Json.Nodes.JsonObject Ingress(string? classField, string? className, string backend, string? tls = null) => Objects.Parse($$$"""
        {"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"web","namespace":"shop"},
         "spec":{{{{(classField is null ? "" : $"\"{classField}\":\"{className}\",")}}}
                 "tls":{{{(tls is null ? "[]" : $"[{{\"hosts\":[\"shop.example\"],\"secretName\":\"{tls}\"}}]")}}},
                 "rules":[{"host":"shop.example","http":{"paths":[{"path":"/","pathType":"Prefix","backend":{"service":{"name":"{{{backend}}}","port":{"number":80} } } }]} }]}}
        """);

    private static System.Text.Json.Nodes.JsonObject Webhook(string failurePolicy, string? caBundle) => Objects.Parse($$$"""
        {"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingWebhookConfiguration","metadata":{"name":"policy"},
         "webhooks":[{"name":"check.policy.example","failurePolicy":"{{{failurePolicy}}}",
                      "clientConfig":{"service":{"name":"policy","namespace":"infra","path":"/validate"}{{{(caBundle is null ? "" : $",\"caBundle\":\"{caBundle}\"")}}} } }]}
        """);

    private static System.Text.Json.Nodes.JsonObject GatewayClass(bool accepted) => Objects.Parse($$$"""
        {"apiVersion":"gateway.networking.k8s.io/v1","kind":"GatewayClass","metadata":{"name":"eg"},"spec":{"controllerName":"gateway.envoyproxy.io/gatewayclass-controller"},
         "status":{"conditions":[{{{Objects.Condition("Accepted", accepted ? "True" : "False", accepted ? "Accepted" : "InvalidParameters", "")}}}]}}
        """);

    private static System.Text.Json.Nodes.JsonObject Gateway(string className, bool programmed) => Objects.Parse($$$"""
        {"apiVersion":"gateway.networking.k8s.io/v1","kind":"Gateway","metadata":{"name":"public","namespace":"shop"},"spec":{"gatewayClassName":"{{{className}}}","listeners":[{"name":"http","port":80,"protocol":"HTTP"}]},
         "status":{"conditions":[{{{Objects.Condition("Accepted", "True", "Accepted")}}},{{{Objects.Condition("Programmed", programmed ? "True" : "False", programmed ? "Programmed" : "AddressNotAssigned", "")}}}]}}
        """);

    private static System.Text.Json.Nodes.JsonObject Route(int port) => Objects.Parse($$$"""
        {"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRoute","metadata":{"name":"web","namespace":"shop"},
         "spec":{"parentRefs":[{"name":"public"}],"rules":[{"backendRefs":[{"name":"web","port":{{{port}}}}]}]}}
        """);
}
