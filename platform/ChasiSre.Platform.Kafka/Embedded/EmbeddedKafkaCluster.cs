using System.Runtime.InteropServices;
using System.Text;
using ChasiSre.Schemas;
using Confluent.Kafka;

namespace ChasiSre.Platform.Kafka.Embedded;

/// <summary>
/// A Kafka cluster inside this process: librdkafka's mock cluster, which speaks the real Kafka
/// wire protocol on 127.0.0.1 ports, so every client (Confluent.Kafka, Streamiz, kcat) talks to
/// it as to a broker. It keeps data in memory and has no CreateTopics API, so topics are
/// created here, from the catalog, before clients start.
/// </summary>
public sealed class EmbeddedKafkaCluster : IDisposable
{
    private readonly Lock gate = new();
    private readonly HashSet<string> topics = new(StringComparer.Ordinal);
    private readonly EmbeddedKafkaOptions options;
    private nint rk;
    private nint cluster;

    private EmbeddedKafkaCluster(EmbeddedKafkaOptions options, nint rk, nint cluster, string bootstrapServers)
    {
        this.options = options;
        this.rk = rk;
        this.cluster = cluster;
        BootstrapServers = bootstrapServers;
    }

    /// <summary>Comma-separated <c>host:port</c> list for <c>bootstrap.servers</c>.</summary>
    public string BootstrapServers { get; }

    /// <summary>
    /// Consumer settings that suit the in-memory cluster: its group coordinator holds a
    /// rebalance open for a full session timeout when a group has lost its members, so a short
    /// session (and heartbeat) keeps restarts and rebalances quick. Merge into
    /// <c>KafkaOptions.ConsumerProperties</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ConsumerProperties { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["session.timeout.ms"] = "6000",
        ["heartbeat.interval.ms"] = "500",
    };

    /// <summary>Broker ids are 1..BrokerCount.</summary>
    public int BrokerCount => options.Brokers;

    /// <summary>Topics created so far.</summary>
    public IReadOnlyCollection<string> Topics
    {
        get
        {
            lock (gate)
            {
                return [.. topics];
            }
        }
    }

    /// <summary>Starts a cluster and (by default) creates the catalog's topics.</summary>
    public static EmbeddedKafkaCluster Start(EmbeddedKafkaOptions? options = null)
    {
        options ??= new EmbeddedKafkaOptions();
        LibrdkafkaLibrary.EnsureLoaded();
        MockClusterNative.Initialize();

        var errstr = new byte[512];
        var conf = MockClusterNative.ConfNew();
        if (MockClusterNative.ConfSet(conf, "log_level", "3", errstr, (nuint)errstr.Length) != 0)
        {
            MockClusterNative.ConfDestroy(conf);
            throw new InvalidOperationException("librdkafka rejected log_level: " + Text(errstr));
        }

        // rd_kafka_new takes ownership of conf on success only.
        var rk = MockClusterNative.KafkaNew(MockClusterNative.ProducerType, conf, errstr, (nuint)errstr.Length);
        if (rk == 0)
        {
            MockClusterNative.ConfDestroy(conf);
            throw new InvalidOperationException("rd_kafka_new failed: " + Text(errstr));
        }

        var cluster = MockClusterNative.ClusterNew(rk, options.Brokers);
        if (cluster == 0)
        {
            MockClusterNative.KafkaDestroy(rk);
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed");
        }

        MockClusterNative.GroupInitialRebalanceDelay(cluster, (int)options.GroupInitialRebalanceDelay.TotalMilliseconds);
        var bootstraps = Marshal.PtrToStringUTF8(MockClusterNative.ClusterBootstraps(cluster))
            ?? throw new InvalidOperationException("mock cluster has no bootstrap servers");

        var started = new EmbeddedKafkaCluster(options, rk, cluster, bootstraps);
        if (options.CreateCatalogTopics)
        {
            started.CreateCatalogTopics();
        }

        return started;
    }

    /// <summary>Creates every topic of <see cref="TopicCatalog"/> and every declared internal topic.</summary>
    public void CreateCatalogTopics()
    {
        foreach (var topic in TopicCatalog.All)
        {
            CreateTopic(topic);
        }

        foreach (var topic in TopicCatalog.Internal)
        {
            CreateTopic(topic);
        }
    }

    public void CreateTopic(TopicDefinition topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        CreateTopic(topic.Name, options.PartitionsOverride ?? topic.Partitions);
    }

    public void CreateTopic(InternalTopic topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        CreateTopic(topic.Name, topic.Partitions);
    }

    /// <summary>Creates a topic; creating an existing one again is a no-op.</summary>
    public void CreateTopic(string name, int partitions, int? replicationFactor = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        lock (gate)
        {
            if (topics.Contains(name))
            {
                return;
            }

            var rf = Math.Min(replicationFactor ?? options.ReplicationFactor, options.Brokers);
            var err = MockClusterNative.TopicCreate(Live(), name, partitions, rf);
            if (err != (int)ErrorCode.TopicAlreadyExists)
            {
                // A client may have auto-created it first; either way it exists now.
                Check(err, $"create topic {name}");
            }

            topics.Add(name);
        }
    }

    /// <summary>Takes a broker down: its connections close and it refuses new ones.</summary>
    public void SetBrokerDown(int brokerId)
    {
        lock (gate)
        {
            Check(MockClusterNative.BrokerSetDown(Live(), brokerId), $"set broker {brokerId} down");
        }
    }

    /// <summary>Brings a broker back up.</summary>
    public void SetBrokerUp(int brokerId)
    {
        lock (gate)
        {
            Check(MockClusterNative.BrokerSetUp(Live(), brokerId), $"set broker {brokerId} up");
        }
    }

    /// <summary>
    /// Delays every response of a broker by <paramref name="roundTrip"/> (requests are still
    /// applied at once): a client whose request times out retries what the broker already wrote.
    /// </summary>
    public void SetBrokerRoundTripTime(int brokerId, TimeSpan roundTrip)
    {
        lock (gate)
        {
            Check(MockClusterNative.BrokerSetRtt(Live(), brokerId, (int)roundTrip.TotalMilliseconds), $"set round trip of broker {brokerId}");
        }
    }

    /// <summary>Moves a partition's leadership to another broker.</summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId)
    {
        lock (gate)
        {
            Check(MockClusterNative.PartitionSetLeader(Live(), topic, partition, brokerId), $"set leader of {topic}[{partition}]");
        }
    }

    /// <summary>
    /// Makes <paramref name="brokerId"/> the coordinator of consumer group <paramref name="groupId"/>
    /// (by default the cluster picks one by hashing the group id): set before the group's first
    /// member joins, so that a test knows which broker to take down.
    /// </summary>
    public void SetGroupCoordinator(string groupId, int brokerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        lock (gate)
        {
            Check(MockClusterNative.CoordinatorSet(Live(), "group", groupId, brokerId), $"set coordinator of group {groupId}");
        }
    }

    /// <summary>The next requests of <paramref name="apiKey"/> (any broker) fail with these errors, in order.</summary>
    public void PushRequestErrors(KafkaApiKey apiKey, params ErrorCode[] errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        lock (gate)
        {
            MockClusterNative.PushRequestErrors(Live(), (short)apiKey, (nuint)errors.Length, [.. errors.Select(e => (int)e)]);
        }
    }

    /// <summary>Drops the injected errors not yet consumed for <paramref name="apiKey"/>.</summary>
    public void ClearRequestErrors(KafkaApiKey apiKey)
    {
        lock (gate)
        {
            MockClusterNative.ClearRequestErrors(Live(), (short)apiKey);
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (cluster != 0)
            {
                MockClusterNative.ClusterDestroy(cluster);
                cluster = 0;
            }

            if (rk != 0)
            {
                MockClusterNative.KafkaDestroy(rk);
                rk = 0;
            }
        }
    }

    private nint Live() => cluster != 0 ? cluster : throw new ObjectDisposedException(nameof(EmbeddedKafkaCluster));

    private static void Check(int err, string what)
    {
        if (err != 0)
        {
            throw new KafkaException(new Error((ErrorCode)err, $"Embedded Kafka: {what} failed: {MockClusterNative.ErrorName(err)}"));
        }
    }

    private static string Text(byte[] errstr)
    {
        var end = Array.IndexOf(errstr, (byte)0);
        return Encoding.UTF8.GetString(errstr, 0, end < 0 ? errstr.Length : end);
    }
}
