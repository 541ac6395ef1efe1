using ChasiSre.Schemas.V1;

namespace ChasiSre.Schemas;

/// <summary>
/// The one list of topics. Embedded clusters, Strimzi manifests, consumers and docs all read
/// it; nothing else names a topic.
/// </summary>
public static class TopicCatalog
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    public static readonly TopicDefinition Objects = new(
        "chasi.k8s.objects.v1", "RecordKeys.ForObject: cluster/group/kind/namespace/name", ObjectRecord.Descriptor, 12, null, CleanupPolicy.Compact,
        [Components.Streams, Components.Diagnosis]);

    public static readonly TopicDefinition Events = new(
        "chasi.k8s.events.v1", "RecordKeys.ForObject of the involved object", KubeEvent.Descriptor, 12, 7 * Day, CleanupPolicy.Delete,
        [Components.Streams, Components.Sink]);

    public static readonly TopicDefinition Logs = new(
        "chasi.logs.v1", "pod or adapter key (cluster/namespace/pod or adapter/tenant/name)", LogRecord.Descriptor, 12, 3 * Day, CleanupPolicy.Delete,
        [Components.Streams, Components.Diagnosis]);

    public static readonly TopicDefinition Metrics = new(
        "chasi.metrics.v1", "RecordKeys.ForSeries: cluster/name{sorted labels}", MetricSample.Descriptor, 12, 3 * Day, CleanupPolicy.Delete,
        [Components.Streams]);

    public static readonly TopicDefinition Business = new(
        "chasi.business.v1", "adapter/service key (tenant/adapter)", BusinessRecord.Descriptor, 6, 7 * Day, CleanupPolicy.Delete,
        [Components.Streams, Components.Diagnosis]);

    public static readonly TopicDefinition Signals = new(
        "chasi.signals.v1", "RecordKeys.ForObject of the subject", Signal.Descriptor, 12, 7 * Day, CleanupPolicy.Delete,
        [Components.Streams, Components.Sink]);

    /// <summary>Signals from outside the detection topology (ingest's unreachable vClusters, the gateway's unhealthy
    /// adapters, Alertmanager webhooks through the API): the topology correlates them with its own findings. A topic of
    /// their own, so the topology never reads back what it wrote to <see cref="Signals"/>.</summary>
    public static readonly TopicDefinition Alerts = new(
        "chasi.alerts.v1", "RecordKeys.ForObject of the subject", Signal.Descriptor, 6, 7 * Day, CleanupPolicy.Delete,
        [Components.Streams, Components.Sink]);

    public static readonly TopicDefinition Incidents = new(
        "chasi.incidents.v1", "incident id", Incident.Descriptor, 6, null, CleanupPolicy.Compact,
        [Components.Diagnosis, Components.Sink, Components.Downstream]);

    public static readonly TopicDefinition Diagnoses = new(
        "chasi.diagnoses.v1", "incident id", Diagnosis.Descriptor, 6, null, CleanupPolicy.Compact,
        [Components.Executor, Components.Sink, Components.Downstream]);

    public static readonly TopicDefinition Actions = new(
        "chasi.actions.v1", "action id", ActionRecord.Descriptor, 6, 30 * Day, CleanupPolicy.Delete,
        [Components.Executor, Components.Sink, Components.Downstream]);

    public static readonly TopicDefinition DeadLetters = new(
        "chasi.dlq.v1", "original key", DeadLetter.Descriptor, 3, 14 * Day, CleanupPolicy.Delete,
        [Components.Operators]);

    /// <summary>Every topic, in pipeline order.</summary>
    public static IReadOnlyList<TopicDefinition> All { get; } =
        [Objects, Events, Logs, Metrics, Business, Signals, Alerts, Incidents, Diagnoses, Actions, DeadLetters];

    /// <summary>
    /// Internal topics of the Streamiz topologies that ship with ChasiSre. Each topology adds
    /// its repartition and changelog topics here when it is written (and a test checks them
    /// against <c>Topology.Describe()</c>).
    /// </summary>
    public static IReadOnlyList<InternalTopic> Internal { get; } = [];

    /// <summary>The topic with this name, or <see langword="null"/>.</summary>
    public static TopicDefinition? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    /// <summary>Component names used in <see cref="TopicDefinition.Consumers"/>.</summary>
    public static class Components
    {
        public const string Streams = "streams";
        public const string Diagnosis = "diagnosis";
        public const string Executor = "executor";
        public const string Sink = "clickhouse-sink";
        public const string Downstream = "downstream";
        public const string Operators = "operators";
    }
}
