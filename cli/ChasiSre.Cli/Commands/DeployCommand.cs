using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ChasiSre.Platform.ClickHouse;
using ChasiSre.Schemas;
using ChasiSre.Streams.Pipeline;

namespace ChasiSre.Cli.Commands;

/// <summary>
/// <c>chasi deploy ...</c>: deploy artefacts rendered from the code's single sources — Strimzi <c>KafkaTopic</c>s from
/// <see cref="TopicCatalog"/> (and the detection topology's internal topics), the ClickHouse schema from the embedded
/// migrations, the Grafana ClickHouse datasource provisioning. The outputs committed under <c>deploy/generated/</c> are
/// these commands' output with their defaults; a test fails when they differ.
/// </summary>
internal static partial class DeployCommand
{
    /// <summary>The Strimzi API the topics are rendered for.</summary>
    public const string StrimziApiVersion = "kafka.strimzi.io/v1beta2";

    public static Command Create()
    {
        var command = new Command("deploy", "Print deploy artefacts generated from the code: Strimzi topics, the ClickHouse schema, the Grafana datasource.");
        command.Subcommands.Add(Topics());
        command.Subcommands.Add(ClickHouseSchema());
        command.Subcommands.Add(GrafanaDatasource());
        return command;
    }

    private static Command Topics()
    {
        var ns = new Option<string>("--namespace", "-n") { Description = "Namespace of the KafkaTopic resources (where the Strimzi topic operator watches).", DefaultValueFactory = _ => "kafka" };
        var cluster = new Option<string>("--cluster-name") { Description = "The Strimzi Kafka cluster (label strimzi.io/cluster).", DefaultValueFactory = _ => "chasi-kafka" };
        var replicas = new Option<int>("--replicas") { Description = "Replication factor of every topic.", DefaultValueFactory = _ => 3 };
        var minIsr = new Option<int?>("--min-insync-replicas") { Description = "min.insync.replicas (default: replicas - 1, at least 1, at most 2)." };
        var applicationId = new Option<string>("--streams-application-id") { Description = "Streams:ApplicationId, the prefix of the detection topology's internal topics.", DefaultValueFactory = _ => new StreamsOptions().ApplicationId };
        var partitions = new Option<int>("--streams-partitions") { Description = "Streams:Partitions: partitions of the internal topics (must equal the input topics' partitions).", DefaultValueFactory = _ => TopicCatalog.Objects.Partitions };
        var command = new Command("topics", "Print Strimzi KafkaTopic manifests (kafka.strimzi.io/v1beta2) for every catalog topic and the detection topology's internal topics.")
        {
            ns, cluster, replicas, minIsr, applicationId, partitions,
        };
        command.SetAction(result =>
        {
            var settings = new TopicRenderSettings(
                result.GetValue(ns)!, result.GetValue(cluster)!, result.GetValue(replicas), result.GetValue(minIsr), result.GetValue(applicationId)!, result.GetValue(partitions));
            if (settings.Validate() is { } error)
            {
                Console.Error.WriteLine(error);
                return 2;
            }

            Console.Out.Write(RenderTopics(settings));
            return 0;
        });
        return command;
    }

    private static Command ClickHouseSchema()
    {
        var database = new Option<string>("--database") { Description = "The database the schema is created in (ClickHouse:Database).", DefaultValueFactory = _ => new ClickHouseOptions().Database };
        var command = new Command("clickhouse-schema", "Print the ClickHouse migrations concatenated in version order, with the database substituted (what the pipeline applies on start).") { database };
        command.SetAction(result =>
        {
            var name = result.GetValue(database)!;
            if (!Identifier().IsMatch(name))
            {
                Console.Error.WriteLine($"--database '{name}' must be a plain identifier (letters, digits, underscore).");
                return 2;
            }

            Console.Out.Write(RenderClickHouseSchema(name));
            return 0;
        });
        return command;
    }

    private static Command GrafanaDatasource()
    {
        var name = new Option<string>("--name") { Description = "Datasource name in Grafana.", DefaultValueFactory = _ => "ChasiSre ClickHouse" };
        var uid = new Option<string>("--uid") { Description = "Datasource uid (the dashboards' default for their datasource variable).", DefaultValueFactory = _ => DefaultDatasourceUid };
        var host = new Option<string>("--host") { Description = "ClickHouse host as Grafana reaches it.", DefaultValueFactory = _ => "clickhouse.clickhouse.svc" };
        var port = new Option<int>("--port") { Description = "ClickHouse port (native 9000, native TLS 9440, HTTP 8123, HTTPS 8443).", DefaultValueFactory = _ => 9000 };
        var protocol = new Option<string>("--protocol") { Description = "native or http.", DefaultValueFactory = _ => "native" };
        var secure = new Option<bool>("--secure") { Description = "Connect with TLS." };
        var username = new Option<string>("--username") { Description = "A read-only ClickHouse user for Grafana.", DefaultValueFactory = _ => "grafana" };
        var passwordEnv = new Option<string>("--password-env") { Description = "Environment variable of the Grafana process holding the password (Grafana expands it at provisioning).", DefaultValueFactory = _ => "CHASI_CLICKHOUSE_PASSWORD" };
        var database = new Option<string>("--database") { Description = "Default database.", DefaultValueFactory = _ => new ClickHouseOptions().Database };
        var command = new Command("grafana-datasource", "Print Grafana provisioning YAML for the grafana-clickhouse-datasource plugin pointing at the ChasiSre database.")
        {
            name, uid, host, port, protocol, secure, username, passwordEnv, database,
        };
        command.SetAction(result =>
        {
            var settings = new DatasourceRenderSettings(
                result.GetValue(name)!, result.GetValue(uid)!, result.GetValue(host)!, result.GetValue(port), result.GetValue(protocol)!, result.GetValue(secure),
                result.GetValue(username)!, result.GetValue(passwordEnv)!, result.GetValue(database)!);
            if (settings.Validate() is { } error)
            {
                Console.Error.WriteLine(error);
                return 2;
            }

            Console.Out.Write(RenderGrafanaDatasource(settings));
            return 0;
        });
        return command;
    }

    /// <summary>The uid the provisioned datasource gets by default, and the dashboards' datasource variable default.</summary>
    public const string DefaultDatasourceUid = "chasi-clickhouse";

    /// <summary>Multi-document YAML, one <c>KafkaTopic</c> per catalog topic in pipeline order, then the internal topics.</summary>
    public static string RenderTopics(TopicRenderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var minIsr = settings.EffectiveMinInsyncReplicas.ToString(CultureInfo.InvariantCulture);
        var yaml = new StringBuilder();
        yaml.Append(CultureInfo.InvariantCulture, $"""
            # Generated by `chasi deploy topics {settings.Arguments}` from
            # schemas/ChasiSre.Schemas/TopicCatalog.cs and the detection topology's internal topics. Do not edit.
            # Strimzi's topic operator creates and reconciles these topics; the Kafka cluster needs
            # auto.create.topics.enable=false for the partition counts to hold.

            """);
        foreach (var topic in TopicCatalog.All)
        {
            var config = new SortedDictionary<string, string>(topic.KafkaConfig().ToDictionary(), StringComparer.Ordinal) { ["min.insync.replicas"] = minIsr };
            var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["chasi.io/key"] = topic.Key,
                ["chasi.io/value"] = topic.Value.FullName,
                ["chasi.io/consumers"] = string.Join(",", topic.Consumers),
            };
            AppendTopic(yaml, settings, topic.Name, "catalog", topic.Partitions, config, annotations);
        }

        var streams = new StreamsOptions { ApplicationId = settings.StreamsApplicationId, Partitions = settings.StreamsPartitions };
        foreach (var topic in DetectionApplication.InternalTopics(streams))
        {
            var compact = topic.Cleanup == CleanupPolicy.Compact;
            var config = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["cleanup.policy"] = compact ? "compact" : "delete",
                // A changelog is the state store's backup: kept whole. A repartition topic is read within seconds;
                // seven days covers a streams stage that was down over a long weekend.
                ["retention.ms"] = compact ? "-1" : ((long)TimeSpan.FromDays(7).TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
                ["min.insync.replicas"] = minIsr,
            };
            var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["chasi.io/consumers"] = TopicCatalog.Components.Streams,
                ["chasi.io/streams-application-id"] = topic.ApplicationId,
            };
            AppendTopic(yaml, settings, topic.Name, compact ? "streams-changelog" : "streams-repartition", topic.Partitions, config, annotations);
        }

        return yaml.ToString();
    }

    private static void AppendTopic(
        StringBuilder yaml, TopicRenderSettings settings, string topicName, string role, int partitions,
        IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> annotations)
    {
        yaml.Append(CultureInfo.InvariantCulture, $"""
            ---
            apiVersion: {StrimziApiVersion}
            kind: KafkaTopic
            metadata:
              name: {ResourceName(topicName)}
              namespace: {settings.Namespace}
              labels:
                strimzi.io/cluster: {settings.ClusterName}
                app.kubernetes.io/name: chasi-sre
                app.kubernetes.io/component: kafka-topics
                chasi.io/topic-role: {role}
              annotations:

            """);
        foreach (var (key, value) in annotations)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"    {key}: {Quote(value)}\n");
        }

        yaml.Append(CultureInfo.InvariantCulture, $"""
            spec:
              topicName: {topicName}
              partitions: {partitions}
              replicas: {settings.Replicas}
              config:

            """);
        foreach (var (key, value) in config)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"    {key}: {Quote(value)}\n");
        }
    }

    /// <summary>Every migration in version order, <c>${database}</c> replaced, each statement ending with a semicolon.</summary>
    public static string RenderClickHouseSchema(string database)
    {
        var sql = new StringBuilder();
        sql.Append(CultureInfo.InvariantCulture, $"""
            -- Generated by `chasi deploy clickhouse-schema --database {database}` from
            -- platform/ChasiSre.Platform.ClickHouse/Migrations/*.sql. Do not edit.
            -- The pipeline applies the same migrations on start and records them in {database}.{ClickHouseSchemaMigrator.MigrationsTable};
            -- this file is for review, for DBAs who create the schema by hand, and for clickhouse-client --multiquery.

            """);
        foreach (var migration in SchemaMigration.Embedded)
        {
            sql.Append(CultureInfo.InvariantCulture, $"\n-- ---- migration {migration.Version:D4}_{migration.Name} (sha256 {migration.Checksum}) ----\n\n");
            foreach (var statement in migration.StatementsFor(database))
            {
                sql.Append(statement).Append(";\n\n");
            }
        }

        return sql.ToString();
    }

    /// <summary>Grafana datasource provisioning (apiVersion 1) for grafana-clickhouse-datasource v4.</summary>
    public static string RenderGrafanaDatasource(DatasourceRenderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return string.Create(CultureInfo.InvariantCulture, $$"""
            # Generated by `chasi deploy grafana-datasource {{settings.Arguments}}`. Do not edit.
            # Grafana provisioning (/etc/grafana/provisioning/datasources/) for the grafana-clickhouse-datasource
            # plugin (v4). The dashboards in deploy/grafana/dashboards select this datasource by uid.
            # Give Grafana a read-only ClickHouse user; the password comes from the Grafana process's
            # environment variable {{settings.PasswordEnvironmentVariable}}.
            apiVersion: 1
            datasources:
              - name: {{Quote(settings.Name)}}
                uid: {{settings.Uid}}
                type: grafana-clickhouse-datasource
                editable: false
                jsonData:
                  host: {{settings.Host}}
                  port: {{settings.Port}}
                  protocol: {{settings.Protocol}}
                  secure: {{(settings.Secure ? "true" : "false")}}
                  username: {{settings.Username}}
                  defaultDatabase: {{settings.Database}}
                secureJsonData:
                  password: "${{{settings.PasswordEnvironmentVariable}}}"

            """);
    }

    /// <summary>A topic name as a Kubernetes resource name: lower-case, with characters a name cannot hold as '-'.</summary>
    private static string ResourceName(string topicName)
    {
        var name = NotInResourceName().Replace(topicName.ToLowerInvariant(), "-").Trim('-', '.');
        return name.Length <= 253 ? name : name[..253];
    }

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    internal static partial Regex Identifier();

    [GeneratedRegex("[^a-z0-9.-]")]
    private static partial Regex NotInResourceName();

    /// <summary>What <c>chasi deploy topics</c> renders for.</summary>
    internal sealed record TopicRenderSettings(string Namespace, string ClusterName, int Replicas, int? MinInsyncReplicas, string StreamsApplicationId, int StreamsPartitions)
    {
        public int EffectiveMinInsyncReplicas => MinInsyncReplicas ?? Math.Clamp(Replicas - 1, 1, 2);

        public string Arguments => string.Create(
            CultureInfo.InvariantCulture,
            $"--namespace {Namespace} --cluster-name {ClusterName} --replicas {Replicas} --min-insync-replicas {EffectiveMinInsyncReplicas} --streams-application-id {StreamsApplicationId} --streams-partitions {StreamsPartitions}");

        public string? Validate()
        {
            if (!DnsLabel().IsMatch(Namespace))
            {
                return $"--namespace '{Namespace}' is not a Kubernetes namespace name.";
            }

            if (!DnsLabel().IsMatch(ClusterName))
            {
                return $"--cluster-name '{ClusterName}' is not a Strimzi cluster name.";
            }

            if (Replicas is < 1 or > 32)
            {
                return $"--replicas {Replicas} must be between 1 and 32.";
            }

            if (EffectiveMinInsyncReplicas < 1 || EffectiveMinInsyncReplicas > Replicas)
            {
                return $"--min-insync-replicas {EffectiveMinInsyncReplicas} must be between 1 and --replicas ({Replicas}).";
            }

            if (!StreamsApplicationIdPattern().IsMatch(StreamsApplicationId))
            {
                return $"--streams-application-id '{StreamsApplicationId}' may hold only letters, digits, '.', '_' and '-'.";
            }

            return StreamsPartitions is < 1 or > 1000 ? $"--streams-partitions {StreamsPartitions} must be between 1 and 1000." : null;
        }
    }

    /// <summary>What <c>chasi deploy grafana-datasource</c> renders for.</summary>
    internal sealed record DatasourceRenderSettings(
        string Name, string Uid, string Host, int Port, string Protocol, bool Secure, string Username, string PasswordEnvironmentVariable, string Database)
    {
        public string Arguments => string.Create(
            CultureInfo.InvariantCulture,
            $"--uid {Uid} --host {Host} --port {Port} --protocol {Protocol}{(Secure ? " --secure" : "")} --username {Username} --password-env {PasswordEnvironmentVariable} --database {Database}");

        public string? Validate()
        {
            if (Protocol is not ("native" or "http"))
            {
                return $"--protocol '{Protocol}' must be native or http.";
            }

            if (Port is < 1 or > 65535)
            {
                return $"--port {Port} is not a TCP port.";
            }

            if (!Identifier().IsMatch(Database))
            {
                return $"--database '{Database}' must be a plain identifier (letters, digits, underscore).";
            }

            if (!EnvironmentVariable().IsMatch(PasswordEnvironmentVariable))
            {
                return $"--password-env '{PasswordEnvironmentVariable}' is not an environment variable name.";
            }

            foreach (var (option, value) in new[] { ("--uid", Uid), ("--host", Host), ("--username", Username) })
            {
                if (!PlainScalar().IsMatch(value))
                {
                    return $"{option} '{value}' may hold only letters, digits, '.', '_', ':' and '-'.";
                }
            }

            return string.IsNullOrWhiteSpace(Name) || Name.Contains('\n', StringComparison.Ordinal) ? "--name must be one non-empty line." : null;
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^[a-zA-Z0-9._-]+$")]
    private static partial Regex StreamsApplicationIdPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvironmentVariable();

    [GeneratedRegex("^[A-Za-z0-9._:-]+$")]
    private static partial Regex PlainScalar();
}
