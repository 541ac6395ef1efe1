using System.Text.Json.Nodes;
using ChasiSre.Schemas;

namespace ChasiSre.Deploy.Tests;

/// <summary>
/// deploy/generated/ holds the output of the chasi deploy commands with their defaults; these tests fail when a
/// committed file differs from what the command prints now (a catalog, migration or option change), naming the
/// command that regenerates it.
/// </summary>
public sealed class GeneratedFilesTests
{
    public static TheoryData<string, string> Generated => new()
    {
        { "kafka-topics.yaml", "topics" },
        { "clickhouse-schema.sql", "clickhouse-schema" },
        { "grafana-datasource.yaml", "grafana-datasource" },
    };

    [Theory]
    [MemberData(nameof(Generated))]
    public async Task CommittedFile_SameAsCommandOutput_UpToDate(string file, string command)
    {
        var result = await ProcessRunner.ChasiAsync(TestContext.Current.CancellationToken, "deploy", command);
        Assert.True(result.ExitCode == 0, result.StdErr);

        var path = RepositoryLayout.Generated(file);
        var committed = File.Exists(path) ? await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken) : "(missing)";
        Assert.True(
            committed == result.StdOut,
            $"deploy/generated/{file} is stale: regenerate it with `./chasi deploy {command} > deploy/generated/{file}` and commit it.");
    }

    [Fact]
    public async Task Topics_Default_OneKafkaTopicPerCatalogTopicAndInternalTopic()
    {
        var result = await ProcessRunner.ChasiAsync(TestContext.Current.CancellationToken, "deploy", "topics", "--namespace", "streaming", "--cluster-name", "prod", "--replicas", "5");
        Assert.True(result.ExitCode == 0, result.StdErr);

        var topics = Manifests.Parse(result.StdOut);
        Assert.All(topics, t => Assert.Equal("kafka.strimzi.io/v1beta2", (string?)t["apiVersion"]));
        Assert.All(topics, t => Assert.Equal("streaming", (string?)t["metadata"]!["namespace"]));
        Assert.All(topics, t => Assert.Equal("prod", (string?)t["metadata"]!["labels"]!["strimzi.io/cluster"]));
        Assert.All(topics, t => Assert.Equal(5, (int)t["spec"]!["replicas"]!));
        Assert.All(topics, t => Assert.Equal("2", (string?)t["spec"]!["config"]!["min.insync.replicas"]));
        var byName = topics.ToDictionary(t => (string)t["spec"]!["topicName"]!);
        foreach (var topic in TopicCatalog.All)
        {
            var rendered = byName[topic.Name];
            Assert.Equal(topic.Partitions, (int)rendered["spec"]!["partitions"]!);
            foreach (var (key, value) in topic.KafkaConfig())
            {
                Assert.Equal(value, (string?)rendered["spec"]!["config"]![key]);
            }
        }

        Assert.Equal("604800000", (string?)byName["chasi.k8s.events.v1"]["spec"]!["config"]!["retention.ms"]);
        Assert.Equal("compact", (string?)byName["chasi.incidents.v1"]["spec"]!["config"]!["cleanup.policy"]);
        // The detection topology's changelog and repartition topics, 12 partitions like the inputs.
        var changelog = Assert.Single(topics, t => (string?)t["metadata"]!["labels"]!["chasi.io/topic-role"] == "streams-changelog");
        Assert.Equal("chasi-streams-detection-state-changelog", (string?)changelog["spec"]!["topicName"]);
        Assert.Equal(12, (int)changelog["spec"]!["partitions"]!);
        Assert.Contains(topics, t => (string?)t["metadata"]!["labels"]!["chasi.io/topic-role"] == "streams-repartition");
    }

    [Theory]
    [InlineData("topics", "--replicas", "0", "--replicas 0")]
    [InlineData("topics", "--namespace", "Not_A_Namespace", "--namespace")]
    [InlineData("clickhouse-schema", "--database", "x; DROP TABLE y", "--database")]
    [InlineData("grafana-datasource", "--protocol", "grpc", "--protocol")]
    public async Task Deploy_InvalidOption_ExitsTwoWithTheReason(string command, string option, string value, string reason)
    {
        var result = await ProcessRunner.ChasiAsync(TestContext.Current.CancellationToken, "deploy", command, option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(reason, result.StdErr, StringComparison.Ordinal);
        Assert.Empty(result.StdOut);
    }

    [Fact]
    public async Task ClickHouseSchema_OtherDatabase_EveryStatementNamesIt()
    {
        var result = await ProcessRunner.ChasiAsync(TestContext.Current.CancellationToken, "deploy", "clickhouse-schema", "--database", "sre_prod");
        Assert.True(result.ExitCode == 0, result.StdErr);

        Assert.DoesNotContain("${database}", result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(TABLE|DATABASE)( IF NOT EXISTS)? chasi\b", result.StdOut);
        foreach (var table in new[] { "k8s_events", "signals", "incidents", "diagnoses", "actions", "objects", "logs" })
        {
            Assert.Contains($"CREATE TABLE IF NOT EXISTS sre_prod.{table}", result.StdOut, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ChartTopics_Rendered_SameAsCommandOutputForTheSameSettings()
    {
        var ct = TestContext.Current.CancellationToken;
        var command = await ProcessRunner.ChasiAsync(ct, "deploy", "topics", "--namespace", "kafka", "--cluster-name", "chasi-kafka", "--replicas", "3", "--min-insync-replicas", "2");
        Assert.True(command.ExitCode == 0, command.StdErr);

        var chart = await HelmChart.TemplateAsync("centralized", ct);

        var expected = Manifests.Parse(command.StdOut).ToDictionary(t => t.Name());
        var rendered = chart.OfKind("KafkaTopic").ToDictionary(t => t.Name());
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), rendered.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, topic) in expected)
        {
            // The chart adds its release label; everything else is the command's.
            rendered[name]["metadata"]!["labels"]!.AsObject().Remove("app.kubernetes.io/instance");
            Assert.True(JsonNode.DeepEquals(topic["spec"], rendered[name]["spec"]), $"{name}: spec differs: {topic["spec"]} vs {rendered[name]["spec"]}");
            Assert.True(JsonNode.DeepEquals(topic["metadata"], rendered[name]["metadata"]), $"{name}: metadata differs: {topic["metadata"]} vs {rendered[name]["metadata"]}");
        }
    }
}
