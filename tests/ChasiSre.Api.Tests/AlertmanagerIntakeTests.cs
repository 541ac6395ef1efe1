using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using static ChasiSre.Api.Tests.AlertmanagerPayloads;

namespace ChasiSre.Api.Tests;

/// <summary>How one alert's labels become a signal, without Kafka or HTTP.</summary>
public sealed class AlertmanagerIntakeTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly AlertmanagerOptions Options = new() { DefaultCluster = "prod-host" };

    [Theory]
    [InlineData("pod=web-1,deployment=web", "Pod", "v1", "shop", "web-1")]
    [InlineData("deployment=web", "Deployment", "apps/v1", "shop", "web")]
    [InlineData("statefulset=db", "StatefulSet", "apps/v1", "shop", "db")]
    [InlineData("daemonset=agent", "DaemonSet", "apps/v1", "shop", "agent")]
    [InlineData("job_name=nightly,job=kube-state-metrics", "Job", "batch/v1", "shop", "nightly")]
    [InlineData("cronjob=nightly", "CronJob", "batch/v1", "shop", "nightly")]
    [InlineData("persistentvolumeclaim=data-db-0", "PersistentVolumeClaim", "v1", "shop", "data-db-0")]
    [InlineData("horizontalpodautoscaler=web", "HorizontalPodAutoscaler", "autoscaling/v2", "shop", "web")]
    [InlineData("node=node-3", "Node", "v1", "", "node-3")]
    [InlineData("service=web", "Service", "v1", "shop", "web")]
    [InlineData("", "Namespace", "v1", "", "shop")]
    public void Read_ObjectLabels_PickTheSubject(string objectLabels, string kind, string apiVersion, string @namespace, string name)
    {
        var labels = Labels(("alertname", "Anything"), ("namespace", "shop"));
        foreach (var pair in objectLabels.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            labels[pair.Split('=')[0]] = pair.Split('=')[1];
        }

        var signal = Single(labels);

        Assert.Equal((kind, apiVersion, @namespace, name), (signal.Subject.Kind, signal.Subject.ApiVersion, signal.Subject.Namespace, signal.Subject.Name));
        Assert.Equal(("prod-host", "prod-host", Layer.Host, ""), (signal.Subject.Cluster, signal.Subject.HostCluster, signal.Subject.Layer, signal.Subject.Tenant));
    }

    [Fact]
    public void Read_NoNamespaceNorObject_SubjectIsTheCluster()
    {
        var signal = Single(Labels(("alertname", "KubeMemoryOvercommit"), ("cluster", "edge-2")));

        Assert.Equal(("Cluster", "", "edge-2", "NodePressure"), (signal.Subject.Kind, signal.Subject.Namespace, signal.Subject.Name, signal.Category));
        Assert.Equal("edge-2/core/Cluster//edge-2", RecordKeys.ForObject(signal.Subject));
    }

    [Theory]
    [InlineData("critical", Severity.Critical)]
    [InlineData("page", Severity.Critical)]
    [InlineData("Error", Severity.Error)]
    [InlineData("warning", Severity.Warning)]
    [InlineData("info", Severity.Info)]
    [InlineData("none", Severity.Info)]
    [InlineData("whatever", Severity.Warning)]
    public void Read_SeverityLabel_MapsToSeverity(string label, Severity expected)
    {
        var signal = Single(Labels(("alertname", "X"), ("severity", label)));

        Assert.Equal(expected, signal.Severity);
        Assert.Equal(label, signal.Attributes["label.severity"]);
    }

    [Fact]
    public void Read_NoSeverityLabel_IsWarning()
    {
        Assert.Equal(Severity.Warning, Single(Labels(("alertname", "X"))).Severity);
    }

    [Theory]
    [InlineData("KubePodCrashLooping", null, "CrashLoop")]
    [InlineData("KubePersistentVolumeFillingUp", null, "Storage")]
    [InlineData("KubePodCrashLooping", "OOMKilled", "OOMKilled")]
    [InlineData("MyAppErrorsHigh", null, "")]
    [InlineData("PaymentsDown", null, "BusinessDegradation")]
    public void Read_Category_FromLabelThenConfigurationThenBuiltIns(string alertName, string? label, string expected)
    {
        var options = new AlertmanagerOptions { DefaultCluster = "h", Categories = { ["PaymentsDown"] = "BusinessDegradation" } };
        var labels = Labels(("alertname", alertName));
        if (label is not null)
        {
            labels["chasi_category"] = label;
        }

        var signal = Single(labels, options);

        Assert.Equal(expected, signal.Category);
    }

    [Fact]
    public void Read_BuiltInCategories_AreAllIncidentCategories()
    {
        Assert.All(AlertCategories.BuiltIn, pair => Assert.True(AlertCategories.IsCategory(pair.Value), $"{pair.Key} → {pair.Value}"));
        Assert.Contains("CrashLoop", AlertCategories.Known);
    }

    [Fact]
    public void Read_FiringAlert_LastSeenIsNowAndResolvedAlert_LastSeenIsEndsAt()
    {
        var labels = Labels(("alertname", "X"));
        var firing = Read(Webhook(Alert("firing", "f1", "2025-03-01T08:00:00Z", labels)), Options, TenantScope.All);
        var resolved = Read(Webhook(Alert("resolved", "f1", "2025-03-01T08:00:00Z", labels, endsAt: "2025-03-01T08:30:00Z")), Options, TenantScope.All);

        var on = Assert.Single(Assert.IsType<AlertIntakeOutcome.Accepted>(firing).Signals).Signal;
        var off = Assert.Single(Assert.IsType<AlertIntakeOutcome.Accepted>(resolved).Signals).Signal;
        Assert.Equal((Now, true), (on.LastSeen.ToDateTimeOffset(), on.Active));
        Assert.Equal((new DateTimeOffset(2025, 3, 1, 8, 30, 0, TimeSpan.Zero), false), (off.LastSeen.ToDateTimeOffset(), off.Active));
        Assert.Equal(on.Id, off.Id);
    }

    [Fact]
    public void Read_NoFingerprint_DerivesAStableOneFromTheLabels()
    {
        var first = Labels(("alertname", "X"), ("pod", "a"), ("namespace", "n"));
        var same = Labels(("namespace", "n"), ("pod", "a"), ("alertname", "X"));
        var other = Labels(("alertname", "X"), ("pod", "b"), ("namespace", "n"));

        Assert.Equal(IdWithoutFingerprint(first), IdWithoutFingerprint(same));
        Assert.NotEqual(IdWithoutFingerprint(first), IdWithoutFingerprint(other));
    }

    [Fact]
    public void Read_SeveralBadAlerts_NamesEveryOffendingField()
    {
        var body = Webhook(
            Alert("firing", "a", "nope", Labels(("alertname", "X"))),
            Alert("firing", "b", "2025-03-01T08:00:00Z", Labels(("alertname", "X"))),
            Alert("firing", "c", "2025-03-01T08:00:00Z", Labels(("namespace", "n"), ("tenant", "BAD"))));

        var invalid = Assert.IsType<AlertIntakeOutcome.Invalid>(Read(body, Options, TenantScope.All));

        Assert.Equal(["alerts[0].startsAt", "alerts[2].labels.alertname"], invalid.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Read_LongAnnotation_IsClipped()
    {
        var alert = Alert("firing", "f", "2025-03-01T08:00:00Z", Labels(("alertname", "X")), summary: new string('s', 10_000));

        var signal = Assert.Single(Assert.IsType<AlertIntakeOutcome.Accepted>(Read(Webhook(alert), Options, TenantScope.All)).Signals).Signal;

        Assert.Equal(4096, signal.Message.Length);
        Assert.Equal(1024, signal.Attributes["annotation.summary"].Length);
    }

    private static Signal Single(Dictionary<string, string> labels, AlertmanagerOptions? options = null)
    {
        var outcome = Read(Webhook(Alert("firing", "0123456789abcdef", "2025-03-01T08:00:00Z", labels)), options ?? Options, TenantScope.All);
        var (key, signal) = Assert.Single(Assert.IsType<AlertIntakeOutcome.Accepted>(outcome).Signals);
        Assert.Equal(RecordKeys.ForObject(signal.Subject), key);
        Assert.Equal($"alertmanager/{labels["alertname"]}", signal.Detector);
        return signal;
    }

    private static string IdWithoutFingerprint(Dictionary<string, string> labels)
    {
        var alert = Alert("firing", "", "2025-03-01T08:00:00Z", labels);
        alert.Remove("fingerprint");
        return Assert.Single(Assert.IsType<AlertIntakeOutcome.Accepted>(Read(Webhook(alert), Options, TenantScope.All)).Signals).Signal.Id;
    }

    private static AlertIntakeOutcome Read(string body, AlertmanagerOptions options, TenantScope scope) =>
        AlertmanagerIntake.Read(System.Text.Encoding.UTF8.GetBytes(body), options, scope, Now);
}
