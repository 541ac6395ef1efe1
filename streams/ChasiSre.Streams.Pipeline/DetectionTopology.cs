using ChasiSre.Schemas;
using ChasiSre.Schemas.Streamiz;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.State;
using Streamiz.Kafka.Net.Stream;

namespace ChasiSre.Streams.Pipeline;

/// <summary>
/// The detection topology (every processor and store named):
/// <code>
/// objects-source ─ objects-skip-null ─ objects-as-input ─┐
/// events-source  ─ events-skip-null  ─ events-as-input  ─┼─ merge ─ key-by-fleet ─ detection-input (repartition)
/// logs-source    ─ logs-skip-null    ─ logs-as-input    ─┘
/// metrics-source  ─ metrics-skip-null  ─ metrics-as-input  ─┬─ merge-business ─ telemetry-key-by-fleet ─ telemetry-input (repartition) ─┐
/// business-source ─ business-skip-null ─ business-as-input ─┘                                                                          │
///   ─ merge-telemetry ─ detect [detection-state] ─┬─ incidents-only ─ as-incident ─ incidents-sink
///                                                 └─ signals-only   ─ as-signal   ─ signals-sink
/// </code>
/// With inputs partitioned by fleet (the default: ingest's producers do it) the objects, events and logs go to
/// <c>detect</c> directly and only the telemetry is repartitioned; otherwise the telemetry joins the merge before the
/// one repartition.
/// Objects, events and log lines are re-keyed by fleet (the host cluster: a vCluster's records carry its host) so
/// that a host cluster and all its vClusters meet in one task: cross-layer detectors read host twins, nodes and
/// quotas next to the virtual objects, and a host cause that hurts several tenants is one incident. The
/// <c>detect</c> processor (<see cref="DetectionTransformer"/>) keeps the objects and events of its fleets in the
/// changelogged <see cref="StateStore"/> (values: <see cref="DetectionStateValue"/>).
/// </summary>
public static class DetectionTopology
{
    /// <summary>The detection processor's state store (changelog <c>{application.id}-detection-state-changelog</c>).</summary>
    public const string StateStore = "detection-state";

    /// <summary>The repartition (topic <c>{application.id}-detection-input-repartition</c>).</summary>
    public const string Repartition = "detection-input";

    /// <summary>
    /// The repartition of metric samples and business records (topic <c>{application.id}-telemetry-input-repartition</c>):
    /// their topics are keyed by series and by adapter, so they are re-keyed by fleet and partitioned the way ingest
    /// partitions objects (<see cref="RecordKeys.FleetPartition"/>), which puts them in their fleet's task.
    /// </summary>
    public const string TelemetryRepartition = "telemetry-input";

    /// <summary>Builds the topology over <paramref name="topics"/>.</summary>
    public static Topology Build(DetectionRuntime runtime, DetectionTopics topics)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(topics);
        var builder = new StreamBuilder();
        var objects = builder.Stream(topics.Objects, new StringSerDes(), new ProtobufSerDes<ObjectRecord>(), "objects-source")
            .Filter((_, value, _) => value is not null, "objects-skip-null")
            .MapValues((value, _) => new DetectionInput { Object = value }, "objects-as-input");
        var events = builder.Stream(topics.Events, new StringSerDes(), new ProtobufSerDes<KubeEvent>(), "events-source")
            .Filter((_, value, _) => value is not null, "events-skip-null")
            .MapValues((value, _) => new DetectionInput { Event = value }, "events-as-input");
        var logs = builder.Stream(topics.Logs, new StringSerDes(), new ProtobufSerDes<LogRecord>(), "logs-source")
            .Filter((_, value, _) => value is not null, "logs-skip-null")
            .MapValues((value, _) => new DetectionInput { Log = value }, "logs-as-input");

        var store = Stores.KeyValueStoreBuilder(Stores.InMemoryKeyValueStore(StateStore), new StringSerDes(), new ByteArraySerDes());
        var merged = objects.Merge(events, "merge-events").Merge(logs, "merge-logs");
        var telemetry = Telemetry(builder, topics);
        if (telemetry is not null && !runtime.Options.InputsPartitionedByFleet)
        {
            merged = merged.Merge(telemetry, "merge-telemetry");
        }

        var byFleet = runtime.Options.InputsPartitionedByFleet
            ? merged
            : merged.SelectKey((_, value, _) => Fleet(value), "key-by-fleet")
                .Repartition(Repartitioned<string, DetectionInput>.As(Repartition)
                    .WithKeySerdes(new StringSerDes())
                    .WithValueSerdes(new ProtobufSerDes<DetectionInput>()!)
                    .WithNumberOfPartitions(runtime.Options.Partitions));
        if (telemetry is not null && runtime.Options.InputsPartitionedByFleet)
        {
            byFleet = byFleet.Merge(
                telemetry.SelectKey((_, value, _) => Fleet(value), "telemetry-key-by-fleet")
                    .Repartition(Repartitioned<string, DetectionInput>.As(TelemetryRepartition)
                        .WithKeySerdes(new StringSerDes())
                        .WithValueSerdes(new ProtobufSerDes<DetectionInput>()!)
                        .WithNumberOfPartitions(runtime.Options.Partitions)
                        .WithStreamPartitioner((_, key, _, _, partitions) => new Partition(RecordKeys.FleetPartition(System.Text.Encoding.UTF8.GetBytes(key ?? ""), partitions)))),
                "merge-telemetry");
        }
        var outputs = byFleet.Transform(
            TransformerBuilder.New<string, DetectionInput, string, DetectionOutput>()
                .Transformer<DetectionTransformer>(runtime)
                .StateStore(store)
                .Build(),
            "detect");

        outputs.Filter((_, output, _) => output?.Incident is not null, "incidents-only")
            .MapValues((output, _) => output.Incident, "as-incident")
            .To(topics.Incidents, new StringSerDes(), new ProtobufSerDes<Incident>(), "incidents-sink");
        outputs.Filter((_, output, _) => output?.Signal is not null, "signals-only")
            .MapValues((output, _) => output.Signal, "as-signal")
            .To(topics.Signals, new StringSerDes(), new ProtobufSerDes<Signal>(), "signals-sink");
        return builder.Build();
    }

    // Metric samples, business records and alerts as detection input, or null when the topology reads none.
    private static IKStream<string, DetectionInput>? Telemetry(StreamBuilder builder, DetectionTopics topics)
    {
        IKStream<string, DetectionInput>? metrics = topics.Metrics is { } metricTopic
            ? builder.Stream(metricTopic, new StringSerDes(), new ProtobufSerDes<MetricSample>(), "metrics-source")
                .Filter((_, value, _) => value is not null, "metrics-skip-null")
                .MapValues((value, _) => new DetectionInput { Metric = value }, "metrics-as-input")
            : null;
        IKStream<string, DetectionInput>? business = topics.Business is { } businessTopic
            ? builder.Stream(businessTopic, new StringSerDes(), new ProtobufSerDes<BusinessRecord>(), "business-source")
                .Filter((_, value, _) => value is not null, "business-skip-null")
                .MapValues((value, _) => new DetectionInput { Business = value }, "business-as-input")
            : null;
        IKStream<string, DetectionInput>? alerts = topics.Alerts is { } alertTopic
            ? builder.Stream(alertTopic, new StringSerDes(), new ProtobufSerDes<Signal>(), "alerts-source")
                .Filter((_, value, _) => value is not null, "alerts-skip-null")
                .MapValues((value, _) => new DetectionInput { Alert = value }, "alerts-as-input")
            : null;
        IKStream<string, DetectionInput>? telemetry = null;
        foreach (var (stream, name) in new[] { (metrics, "metrics"), (business, "merge-business"), (alerts, "merge-alerts") })
        {
            telemetry = stream is null ? telemetry : telemetry is null ? stream : telemetry.Merge(stream, name);
        }

        return telemetry;
    }

    /// <summary>The fleet of a record: the host cluster its object lives on (itself for host objects).</summary>
    public static string Fleet(DetectionInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var reference = input.InputCase switch
        {
            DetectionInput.InputOneofCase.Object when input.Object.RecordCase == ObjectRecord.RecordOneofCase.Snapshot => input.Object.Snapshot.Ref,
            DetectionInput.InputOneofCase.Object when input.Object.RecordCase == ObjectRecord.RecordOneofCase.Tombstone => input.Object.Tombstone.Ref,
            DetectionInput.InputOneofCase.Event => input.Event.Event ?? input.Event.Involved,
            DetectionInput.InputOneofCase.Log => input.Log.Source,
            DetectionInput.InputOneofCase.Metric => input.Metric.Subject,
            DetectionInput.InputOneofCase.Business => input.Business.Subject,
            DetectionInput.InputOneofCase.Alert => input.Alert.Subject,
            _ => null,
        };
        return reference is null ? "" : reference.HostCluster.Length > 0 ? reference.HostCluster : reference.Cluster;
    }
}
