using System.Net;
using System.Net.Sockets;
using ChasiSre.Api;
using ChasiSre.Cli.Run;
using ChasiSre.Ingest.Scenarios;
using ChasiSre.Platform.ClickHouse;
using ChasiSre.Platform.Hosting;
using ChasiSre.Platform.Kafka;
using ChasiSre.Platform.Kafka.Embedded;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using ChasiSre.TestKit;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;

namespace ChasiSre.Cli.Tests;

/// <summary>
/// <c>chasi run --embedded</c> as the long-running pipeline: records published to the catalog topics go through the
/// detection topology, the diagnosis consumer and the ClickHouse sink of one host, and the health endpoints say so.
/// </summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("chasi-run-").FullName;

    private static string FreeUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
    }

    [Fact]
    public async Task Run_EmbeddedCrashloopRecords_IncidentDiagnosedAndStored()
    {
        var ct = TestContext.Current.CancellationToken;
        var url = FreeUrl();
        var components = PipelineComponents.Parse("sink,streams,knowledge,diagnosis,api");
        var token = ApiTokenHasher.NewToken();
        var settings = new Dictionary<string, string?>
        {
            ["ClickHouse:EmbeddedDataPath"] = ProcessChDb.DataPath,
            ["Api:Tokens:0:Name"] = "sre",
            ["Api:Tokens:0:Sha256"] = ApiTokenHasher.Hash(token),
            ["Api:Tokens:0:Tenants:0"] = "*",
        };
        await using var app = PipelineHost.Build(new RunSettings(components, null, true, data, url, settings));
        await app.StartAsync(ct);
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz", ct)).StatusCode);

        var store = app.Services.GetRequiredService<IClickHouseStore>();
        // What ingest would publish for the shared crashloop example, on the host's own Kafka.
        var kafka = app.Services.GetRequiredService<KafkaClientFactory>();
        // The example replayed on the wall clock, which the running topology and the evidence windows go by: it ends now.
        var example = ScenarioLoader.Load(SharedExamples.Example("crashloop-missing-env"));
        var length = ScenarioRecords.Build(example).Max(b => b.At);
        var scenario = example with { StartTime = DateTimeOffset.UtcNow - length };
        using (var objects = kafka.CreateProducer<ObjectRecord>("run-test"))
        using (var events = kafka.CreateProducer<KubeEvent>("run-test"))
        using (var logs = kafka.CreateProducer<LogRecord>("run-test"))
        {
            foreach (var record in ScenarioRecords.Build(scenario).SelectMany(b => b.Records))
            {
                switch (record.InputCase)
                {
                    case DetectionInput.InputOneofCase.Object:
                        await objects.ProduceAsync(TopicCatalog.Objects, RecordKeys.ForObject(record.Object.Snapshot?.Ref ?? record.Object.Tombstone.Ref), record.Object, ct);
                        break;
                    case DetectionInput.InputOneofCase.Event:
                        await events.ProduceAsync(TopicCatalog.Events, RecordKeys.ForObject(record.Event.Involved), record.Event, ct);
                        break;
                    case DetectionInput.InputOneofCase.Log:
                        // The lines carry their own (March) timestamps in their text: moved with the scenario.
                        record.Log.At = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(record.Log.At.ToDateTimeOffset() + (scenario.StartTime - example.StartTime));
                        await logs.ProduceAsync(TopicCatalog.Logs, RecordKeys.ForObject(record.Log.Source), record.Log, ct);
                        break;
                }
            }
        }

        // The incident reaches ClickHouse through the sink, and its diagnosis follows (rule-based: no LLM configured).
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        List<(string? Category, string? Kind, string? Name, string? RootCause)> rows = [];
        while (DateTime.UtcNow < deadline)
        {
            rows = [.. (await store.QueryAsync("SELECT i.category, i.kind, i.name, d.root_cause FROM chasi.incidents AS i INNER JOIN chasi.diagnoses AS d ON d.incident_id = i.incident_id", ct))
                .Select(r => (r[0]?.ToString(), r[1]?.ToString(), r[2]?.ToString(), r[3]?.ToString()))];
            if (rows.Any(r => r.Category == "CrashLoop"))
            {
                break;
            }

            await Task.Delay(500, ct);
        }

        var row = Assert.Single(rows.Where(r => r.Category == "CrashLoop").DistinctBy(r => (r.Kind, r.Name)));
        Assert.Equal(("Deployment", "checkout"), (row.Kind, row.Name));
        Assert.Contains("DEPLOY_ENV", row.RootCause, StringComparison.Ordinal); // the decisive log line, read back from ClickHouse
        // The API serves it to a token, and nothing to a caller without one.
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/incidents", ct)).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/incidents?category=CrashLoop");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var listed = await http.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Contains("\"checkout\"", await listed.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        // Ready once every component is: the knowledge base indexes the starter runbooks with MiniLM in the background
        // (Degraded, 200, until then).
        string readiness;
        do
        {
            var ready = await http.GetAsync("/readyz", ct);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            readiness = await ready.Content.ReadAsStringAsync(ct);
            if (readiness != "Healthy")
            {
                await Task.Delay(500, ct);
            }
        }
        while (readiness != "Healthy" && DateTime.UtcNow < deadline);

        Assert.Equal("Healthy", readiness);
        await app.StopAsync(ct);
    }

    [Fact]
    public async Task Run_ExecutorWithoutCredentials_ProposalJudgedAuditedAndFailedNamingTheCluster()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = PipelineHost.Build(new RunSettings(PipelineComponents.Parse("sink,executor"), null, true, data, FreeUrl(), new Dictionary<string, string?> { ["Executor:IncidentWait"] = "00:00:30", ["ClickHouse:EmbeddedDataPath"] = ProcessChDb.DataPath }));
        await app.StartAsync(ct);
        var kafka = app.Services.GetRequiredService<KafkaClientFactory>();
        var target = new ObjectRef { Cluster = "vc-shop", Tenant = "shop", Layer = Layer.Virtual, ApiVersion = "apps/v1", Kind = "Deployment", Namespace = "web", Name = "cart" };
        using (var incidents = kafka.CreateProducer<Incident>("run-test"))
        using (var diagnoses = kafka.CreateProducer<ChasiSre.Schemas.V1.Diagnosis>("run-test"))
        {
            var incident = new Incident { Id = "inc-run-1", Tenant = "shop", Subject = target, Revision = 1, State = IncidentState.Open, Category = "ImagePull", Layer = Layer.Virtual };
            incident.Tenants.Add("shop");
            await incidents.ProduceAsync(TopicCatalog.Incidents, incident.Id, incident, ct);
            var diagnosis = new ChasiSre.Schemas.V1.Diagnosis { IncidentId = incident.Id, IncidentRevision = 1, Tenant = "shop", Engine = DiagnosisEngines.Rules, RootCause = "test" };
            diagnosis.Remediations.Add(new Remediation { Id = "r1", Title = "restart", Action = RemediationCatalog.RolloutRestart, Target = target, Risk = Risk.Medium });
            await diagnoses.ProduceAsync(TopicCatalog.Diagnoses, incident.Id, diagnosis, ct);
        }

        // The executor's steps reach ClickHouse through the sink: proposed, then (default policy: approval) the dry run,
        // which cannot run without the executor's own credentials for the cluster.
        var store = app.Services.GetRequiredService<IClickHouseStore>();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        List<(string Phase, string Message)> steps = [];
        while (DateTime.UtcNow < deadline && !steps.Any(s => s.Phase == "FAILED"))
        {
            await Task.Delay(500, ct);
            steps = [.. (await store.QueryAsync("SELECT phase, message FROM chasi.actions FINAL WHERE incident_id = 'inc-run-1' ORDER BY ts, JSONExtractInt(payload, 'sequence')", ct))
                .Select(r => (r[0]!.ToString()!, r[1]!.ToString()!))];
        }

        Assert.Equal(["PROPOSED", "FAILED"], steps.Select(s => s.Phase));
        Assert.Contains("no credentials for cluster 'vc-shop'", steps[1].Message, StringComparison.Ordinal);
        // /readyz counts the executor in once its ledger is rebuilt.
        var report = await app.Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains(HealthTags.Ready), ct);
        var executor = report.Entries[PipelineComponents.Executor];
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, executor.Status);
        Assert.Equal("ledger rebuilt; policy 'default' in force", executor.Description);
        await app.StopAsync(ct);
    }

    [Fact]
    public async Task Run_InvalidSetting_ExitsTwoNamingTheField()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = new RunSettings(PipelineComponents.Parse("streams"), null, true, data, FreeUrl(), new Dictionary<string, string?> { ["Streams:Partitions"] = "0" });

        Assert.Equal(2, await RunCommand.RunAsync(settings, ct));
    }

    [Theory]
    [InlineData("streams,bogus")]
    [InlineData(" , ")]
    public void Parse_UnknownOrNoComponent_Throws(string list) => Assert.Throws<ArgumentException>(() => PipelineComponents.Parse(list));


    public void Dispose() => Directory.Delete(data, recursive: true);
}
