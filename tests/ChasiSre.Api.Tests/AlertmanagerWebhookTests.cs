using System.Net;
using System.Text;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using static ChasiSre.Api.Tests.AlertmanagerPayloads;

namespace ChasiSre.Api.Tests;

public sealed class AlertmanagerWebhookTests(ApiFixture fixture)
{
    private const string Path = "api/v1/alerts/alertmanager";

    [Fact]
    public async Task Post_ValidWebhook_PublishesOneSignalPerAlertOnTheAlertsTopic()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);
        string[] fingerprints = [Fingerprint(), Fingerprint(), Fingerprint()];
        var body = Webhook(
            Alert("firing", fingerprints[0], "2025-03-01T08:00:00.123456789Z",
                Labels(("alertname", "KubePodCrashLooping"), ("namespace", "shop"), ("pod", "web-7d9c"), ("container", "web"), ("severity", "warning"), ("tenant", "team-a"), ("cluster", "vc-a"), ("chasi_layer", "virtual"), ("host_cluster", "host-1"), ("host_namespace", "vc-a-ns")),
                summary: "Pod shop/web-7d9c is crash looping"),
            Alert("resolved", fingerprints[1], "2025-03-01T07:00:00+08:00",
                Labels(("alertname", "KubeDeploymentReplicasMismatch"), ("namespace", "shop"), ("deployment", "web"), ("severity", "critical")),
                endsAt: "2025-03-01T00:30:00Z"),
            Alert("firing", fingerprints[2], "2025-03-01T08:05:00Z",
                Labels(("alertname", "KubeNodeNotReady"), ("node", "node-1"), ("severity", "critical"), ("chasi_category", "NodePressure"))));

        using var response = await client.PostAsync(Path, new StringContent(body, Encoding.UTF8, "application/json"), ct);

        var accepted = await Http.JsonAsync(response, HttpStatusCode.Accepted, ct);
        Assert.Equal(3, accepted.GetProperty("accepted").GetInt32());
        Assert.Equal(TopicCatalog.Alerts.Name, accepted.GetProperty("topic").GetString());
        var ids = accepted.GetProperty("signalIds").EnumerateArray().Select(i => i.GetString()!).ToList();
        Assert.Equal($"alertmanager/{fingerprints[0]}/{DateTimeOffset.Parse("2025-03-01T08:00:00.123Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds()}", ids[0]);

        var records = await AlertTopic.ReadAsync(fixture, ids, ct);
        Assert.Equal(3, records.Count);
        Assert.All(records, r => Assert.Equal(RecordKeys.ForObject(r.Signal.Subject), r.Key));
        Assert.All(records, r => Assert.Equal("api", r.Source));

        var pod = records.Single(r => r.Signal.Id == ids[0]).Signal;
        Assert.Equal(("alertmanager/KubePodCrashLooping", "KubePodCrashLooping", "CrashLoop", Severity.Warning, true), (pod.Detector, pod.Reason, pod.Category, pod.Severity, pod.Active));
        Assert.Equal(("vc-a", "team-a", Layer.Virtual, "v1", "Pod", "shop", "web-7d9c", "host-1", "vc-a-ns"), (
            pod.Subject.Cluster, pod.Subject.Tenant, pod.Subject.Layer, pod.Subject.ApiVersion, pod.Subject.Kind, pod.Subject.Namespace, pod.Subject.Name,
            pod.Subject.HostCluster, pod.Subject.HostNamespace));
        Assert.Equal("Pod shop/web-7d9c is crash looping", pod.Message);
        Assert.Equal(DateTimeOffset.Parse("2025-03-01T08:00:00.1234567Z", System.Globalization.CultureInfo.InvariantCulture), pod.FirstSeen.ToDateTimeOffset());
        Assert.Equal("web", pod.Attributes["label.container"]);
        Assert.Equal(fingerprints[0], pod.Attributes["alertmanager.fingerprint"]);
        Assert.Equal("https://runbooks.example/x", pod.Attributes["annotation.runbook_url"]);

        var deployment = records.Single(r => r.Signal.Id == ids[1]).Signal;
        Assert.Equal(("RolloutStuck", Severity.Critical, false), (deployment.Category, deployment.Severity, deployment.Active));
        Assert.Equal(("host-1", "", Layer.Host, "apps/v1", "Deployment", "shop", "web", "host-1"), (
            deployment.Subject.Cluster, deployment.Subject.Tenant, deployment.Subject.Layer, deployment.Subject.ApiVersion, deployment.Subject.Kind,
            deployment.Subject.Namespace, deployment.Subject.Name, deployment.Subject.HostCluster));
        Assert.Equal(DateTimeOffset.Parse("2025-02-28T23:00:00Z", System.Globalization.CultureInfo.InvariantCulture), deployment.FirstSeen.ToDateTimeOffset());
        Assert.Equal(DateTimeOffset.Parse("2025-03-01T00:30:00Z", System.Globalization.CultureInfo.InvariantCulture), deployment.LastSeen.ToDateTimeOffset());
        Assert.Equal("KubeDeploymentReplicasMismatch", deployment.Message);

        var node = records.Single(r => r.Signal.Id == ids[2]).Signal;
        Assert.Equal(("NodePressure", Severity.Critical, true, "Node", "", "node-1"), (node.Category, node.Severity, node.Active, node.Subject.Kind, node.Subject.Namespace, node.Subject.Name));
    }

    [Fact]
    public async Task Post_SameAlertFiringThenResolved_KeepsOneSignalId()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);
        var fingerprint = Fingerprint();
        var labels = Labels(("alertname", "KubeJobFailed"), ("namespace", "batch"), ("job_name", "nightly-42"));

        var firing = await Http.JsonAsync(await client.PostAsync(Path, Json(Webhook(Alert("firing", fingerprint, "2025-03-01T08:00:00Z", labels))), ct), HttpStatusCode.Accepted, ct);
        var resolved = await Http.JsonAsync(await client.PostAsync(Path, Json(Webhook(Alert("resolved", fingerprint, "2025-03-01T08:00:00Z", labels, endsAt: "2025-03-01T08:10:00Z"))), ct), HttpStatusCode.Accepted, ct);

        var id = firing.GetProperty("signalIds")[0].GetString()!;
        Assert.Equal(id, resolved.GetProperty("signalIds")[0].GetString());
        var signals = await AlertTopic.ReadAllAsync(fixture, $"alertmanager/{fingerprint}/", ct);
        Assert.Equal([true, false], signals.Select(s => s.Active));
        Assert.All(signals, s => Assert.Equal(("Job", "batch/v1", "nightly-42", "JobFailed"), (s.Subject.Kind, s.Subject.ApiVersion, s.Subject.Name, s.Category)));
    }

    [Theory]
    [InlineData("this is not json", "body")]
    [InlineData("{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[", "alerts[0]")]
    [InlineData("{\"version\":\"3\",\"status\":\"firing\",\"alerts\":[]}", "version")]
    [InlineData("{\"status\":\"firing\",\"alerts\":[]}", "version")]
    [InlineData("{\"version\":\"4\",\"status\":\"firing\"}", "alerts")]
    [InlineData("{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[]}", "alerts")]
    [InlineData("{\"version\":\"4\",\"status\":\"firing\",\"alerts\":{}}", "alerts")]
    [InlineData("{\"version\":4,\"status\":\"firing\",\"alerts\":[]}", "version")]
    [InlineData("{\"version\":\"4\",\"status\":\"burning\",\"alerts\":[{}]}", "status")]
    [InlineData("{\"version\":\"4\",\"alerts\":[null]}", "alerts[0]")]
    [InlineData("[]", "body")]
    [InlineData("", "body")]
    public async Task Post_MalformedWebhook_Returns400NamingTheField(string body, string field)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);

        var problem = await Http.ProblemAsync(await client.PostAsync(Path, Json(body), ct), HttpStatusCode.BadRequest, ct);

        Assert.Contains(field, Http.ErrorFields(problem));
        Assert.Equal("Invalid Alertmanager payload", problem.GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("firing", "yesterday", "alerts[0].startsAt")]
    [InlineData("firing", "2025-03-01 08:00", "alerts[0].startsAt")]
    [InlineData("firing", "2025-02-30T08:00:00Z", "alerts[0].startsAt")]
    [InlineData("paused", "2025-03-01T08:00:00Z", "alerts[0].status")]
    public async Task Post_BadAlertField_Returns400NamingItAndPublishesNothing(string status, string startsAt, string field)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);
        var fingerprint = Fingerprint();
        var good = Alert("firing", Fingerprint(), "2025-03-01T08:00:00Z", Labels(("alertname", "KubePodNotReady"), ("namespace", "a"), ("pod", "b")));
        var bad = Alert(status, fingerprint, startsAt, Labels(("alertname", "KubePodNotReady"), ("namespace", "a"), ("pod", "b")));

        var problem = await Http.ProblemAsync(await client.PostAsync(Path, Json(Webhook(bad, good)), ct), HttpStatusCode.BadRequest, ct);

        Assert.Equal([field], Http.ErrorFields(problem));
        Assert.Contains(startsAt == "2025-03-01T08:00:00Z" ? status : startsAt, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await AlertTopic.ReadAllAsync(fixture, $"alertmanager/{(string?)good["fingerprint"]}/", ct));
    }

    [Theory]
    [InlineData("alertname", "", "alerts[0].labels.alertname")]
    [InlineData("tenant", "Team_A", "alerts[0].labels.tenant")]
    [InlineData("chasi_category", "Outage", "alerts[0].labels.chasi_category")]
    [InlineData("chasi_layer", "cloud", "alerts[0].labels.chasi_layer")]
    [InlineData("cluster", "a cluster", "alerts[0].labels.cluster")]
    public async Task Post_UnmappableLabel_Returns400NamingTheLabel(string label, string value, string field)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);
        var labels = Labels(("alertname", "KubePodNotReady"), ("namespace", "a"), ("pod", "b"));
        labels[label] = value;

        var problem = await Http.ProblemAsync(await client.PostAsync(Path, Json(Webhook(Alert("firing", Fingerprint(), "2025-03-01T08:00:00Z", labels))), ct), HttpStatusCode.BadRequest, ct);

        Assert.Equal([field], Http.ErrorFields(problem));
    }

    [Fact]
    public async Task Post_ScopedTokenAlertForAnotherTenant_Returns403AndPublishesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.TeamA);
        var mine = Alert("firing", Fingerprint(), "2025-03-01T08:00:00Z", Labels(("alertname", "KubePodCrashLooping"), ("namespace", "a"), ("pod", "b"), ("tenant", "team-a")));
        var theirs = Alert("firing", Fingerprint(), "2025-03-01T08:00:00Z", Labels(("alertname", "KubePodCrashLooping"), ("namespace", "a"), ("pod", "b"), ("tenant", "team-b")));

        var problem = await Http.ProblemAsync(await client.PostAsync(Path, Json(Webhook(mine, theirs)), ct), HttpStatusCode.Forbidden, ct);

        Assert.Contains("team-b", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await AlertTopic.ReadAllAsync(fixture, $"alertmanager/{(string?)mine["fingerprint"]}/", ct));
    }

    [Fact]
    public async Task Post_SingleTenantTokenWithoutTenantLabel_StampsItsTenant()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.TeamA);
        var alert = Alert("firing", Fingerprint(), "2025-03-01T08:00:00Z", Labels(("alertname", "CPUThrottlingHigh"), ("namespace", "shop"), ("pod", "web-1"), ("severity", "info")));

        var accepted = await Http.JsonAsync(await client.PostAsync(Path, Json(Webhook(alert)), ct), HttpStatusCode.Accepted, ct);

        var record = Assert.Single(await AlertTopic.ReadAsync(fixture, [accepted.GetProperty("signalIds")[0].GetString()!], ct));
        Assert.Equal(("team-a", Severity.Info, "MetricAnomaly"), (record.Signal.Subject.Tenant, record.Signal.Severity, record.Signal.Category));
    }

    [Fact]
    public async Task Post_MultiTenantTokenWithoutTenantLabel_Returns403()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.TeamAb);
        var alert = Alert("firing", Fingerprint(), "2025-03-01T08:00:00Z", Labels(("alertname", "KubePodCrashLooping"), ("namespace", "a"), ("pod", "b")));

        var problem = await Http.ProblemAsync(await client.PostAsync(Path, Json(Webhook(alert)), ct), HttpStatusCode.Forbidden, ct);

        Assert.Contains("no tenant label", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_NotJsonContentType_Returns415()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await ApiHost.StartAsync(fixture, ct);
        using var client = host.Client(ApiHost.Admin);

        await Http.ProblemAsync(await client.PostAsync(Path, new StringContent("version=4", Encoding.UTF8, "application/x-www-form-urlencoded"), ct), HttpStatusCode.UnsupportedMediaType, ct);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
