using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Schemas;
using Google.Protobuf.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

[assembly: AssemblyFixture(typeof(ChasiSre.Platform.Kafka.Tests.EmbeddedKafkaFixture))]

namespace ChasiSre.Platform.Kafka.Tests;

/// <summary>One three-broker embedded cluster for the assembly; tests use their own topics.</summary>
public sealed class EmbeddedKafkaFixture : IDisposable
{
    public EmbeddedKafkaFixture()
    {
        Cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaOptions { Brokers = 3, PartitionsOverride = 3 });
    }

    public EmbeddedKafkaCluster Cluster { get; }

    public KafkaClientFactory Factory(Action<KafkaOptions>? configure = null)
    {
        var options = new KafkaOptions { BootstrapServers = Cluster.BootstrapServers, HandlerRetryDelay = TimeSpan.FromMilliseconds(10) };
        foreach (var (key, value) in EmbeddedKafkaCluster.ConsumerProperties)
        {
            options.ConsumerProperties[key] = value;
        }

        configure?.Invoke(options);
        if (Environment.GetEnvironmentVariable("KAFKA_DEBUG_LOG") is { } log)
        {
            options.Properties["debug"] = "cgrp";
            return new KafkaClientFactory(Options.Create(options), Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddProvider(new FileLoggerProvider(log))));
        }

        return new KafkaClientFactory(Options.Create(options), NullLoggerFactory.Instance);
    }

    /// <summary>A fresh topic carrying <paramref name="value"/>, unique to the calling test.</summary>
    public TopicDefinition NewTopic(MessageDescriptor value, int partitions = 3, int? replicationFactor = null)
    {
        var topic = new TopicDefinition($"test.{Guid.NewGuid():N}", "test key", value, partitions, null, CleanupPolicy.Delete, []);
        Cluster.CreateTopic(topic.Name, partitions, replicationFactor);
        return topic;
    }

    public void Dispose() => Cluster.Dispose();
}
