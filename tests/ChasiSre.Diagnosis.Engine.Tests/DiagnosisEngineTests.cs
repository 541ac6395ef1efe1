using System.Text.Json.Nodes;
using ChasiSre.Diagnosis.Evidence;
using ChasiSre.Diagnosis.Llm;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using ChasiSre.TestKit;
using Microsoft.Extensions.Options;

namespace ChasiSre.Diagnosis.Engine.Tests;

/// <summary>
/// The engine over the production LLM pipeline: the deterministic provider, and the OpenAI-compatible provider talking
/// to a Kestrel server that answers in the Chat Completions wire format (canned answers written from the OpenAI API
/// reference), so redaction, the schema and the repair round are checked on what actually crosses the wire.
/// </summary>
public sealed class DiagnosisEngineTests
{
    private const string Path = "/v1/chat/completions";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DiagnosisEngine Engine(Microsoft.Extensions.AI.IChatClient chat) =>
        new(chat, new EvidencePackBuilder(new EvidencePackOptions()), new DiagnosisOptions());

    private static LlmPipelineFactory OpenAI(Uri server, int attempts = 3) => new(
        Options.Create(new LlmOptions
        {
            Provider = LlmProvider.OpenAI,
            Endpoint = new Uri(server, "v1/"),
            Model = OpenAIWire.Model,
            ApiKey = "sk-test-key",
            RequestTimeout = TimeSpan.FromSeconds(20),
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
            MaxAttempts = attempts,
            CacheDuration = TimeSpan.Zero,
            RequestsPerMinute = 0,
        }),
        loggerFactory: null);

    private static string Answer(string evidence, string rootCause = "Deployment checkout in <namespace-1> exits at start: DEPLOY_ENV is not set") => $$"""
        {"rootCause": "{{rootCause}}", "layer": "virtual", "confidence": 0.9, "evidence": [{{evidence}}],
         "remediation": ["Add DEPLOY_ENV to the checkout Deployment's env", "Roll out and watch restarts stop"],
         "actions": [{"action": "rollout-restart", "target": "obj:1", "risk": "low", "reason": "pick up the fixed environment"}]}
        """;

    [Fact]
    public async Task DiagnoseAsync_NoLlmConfigured_RulesNameTheDecisiveLogLine()
    {
        var (incident, evidence) = Replay.Single("crashloop-missing-env", "CrashLoop");

        var outcome = await Engine(new DeterministicChatClient()).DiagnoseAsync(incident, evidence, Ct);

        var d = outcome.Diagnosis;
        Assert.Equal(DiagnosisSource.Rules, outcome.Source);
        Assert.Equal(1, outcome.LlmCalls);
        Assert.Equal(DiagnosisEngine.RulesEngine, d.Engine);
        Assert.Equal(incident.Id, d.IncidentId);
        Assert.Equal(incident.Revision, d.IncidentRevision);
        Assert.Equal(Layer.Virtual, d.Layer);
        Assert.Contains("DEPLOY_ENV is not set", d.RootCause, StringComparison.Ordinal);
        Assert.InRange(d.Confidence, 0.5, 0.85);
        Assert.Contains(d.Evidence, e => e.Topic == TopicCatalog.Logs.Name && e.RecordId.Length > 0 && e.Summary.Contains("DEPLOY_ENV", StringComparison.Ordinal));
        Assert.Contains(d.Evidence, e => e.Topic == TopicCatalog.Signals.Name);
        Assert.NotEmpty(d.Remediations);
        // Restarting does not fix a missing variable: the rules propose no action for a crash loop.
        Assert.DoesNotContain(d.Remediations, r => r.Action.Length > 0);
    }

    [Fact]
    public async Task DiagnoseAsync_NodePressureWithoutLlm_ProposesCordoningTheNodeAtHighRisk()
    {
        var (incident, evidence) = Replay.Single("node-disk-pressure-evictions", "NodePressure");

        var outcome = await Engine(new DeterministicChatClient()).DiagnoseAsync(incident, evidence, Ct);

        Assert.Equal(Layer.Host, outcome.Diagnosis.Layer);
        var action = Assert.Single(outcome.Diagnosis.Remediations, r => r.Action.Length > 0);
        Assert.Equal(RemediationCatalog.CordonNode, action.Action);
        Assert.Equal(Risk.High, action.Risk);
        Assert.Equal("Node", action.Target.Kind);
        Assert.Equal("worker-2", action.Target.Name);
    }

    [Fact]
    public async Task DiagnoseAsync_HostQuotaBlocksTwin_RulesPlaceTheCauseOnTheHost()
    {
        var (incident, evidence) = Replay.Single("host-quota-rejects-twin", "QuotaExceeded");

        var outcome = await Engine(new DeterministicChatClient()).DiagnoseAsync(incident, evidence, Ct);

        Assert.Equal(Layer.Host, outcome.Diagnosis.Layer);
        Assert.Contains("ResourceQuota", outcome.Diagnosis.RootCause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiagnoseAsync_ValidAnswerOnTheWire_OneCallNamesNeverSentAndRestoredInTheResult()
    {
        var (incident, evidence) = Replay.Single("crashloop-missing-env", "CrashLoop");
        await using var server = await FakeProviderServer.StartAsync(Path, Ct);
        server.Then(OpenAIWire.Json(OpenAIWire.Completion(Answer("\"sig:1\", \"log:3\""))));
        using var llm = OpenAI(server.BaseUri);

        var outcome = await Engine(llm.ChatClient).DiagnoseAsync(incident, evidence, Ct);

        Assert.Equal(DiagnosisSource.Llm, outcome.Source);
        Assert.Equal(1, outcome.LlmCalls);
        Assert.Equal(1, server.RequestCount);
        var wire = server.RequestBodies.Single();
        foreach (var name in new[] { "team-a", "checkout-6d5f7c9b8-x2x9p", "vcluster-team-a", "\"shop" })
        {
            Assert.DoesNotContain(name, wire, StringComparison.Ordinal);
        }

        var request = JsonNode.Parse(wire)!;
        Assert.Equal("json_schema", request["response_format"]!["type"]!.GetValue<string>());
        Assert.Contains("sig:1", request["response_format"]!.ToJsonString(), StringComparison.Ordinal);
        var d = outcome.Diagnosis;
        Assert.Contains("DEPLOY_ENV is not set", d.RootCause, StringComparison.Ordinal);
        Assert.DoesNotContain("<namespace-", d.RootCause, StringComparison.Ordinal);
        Assert.Matches("checkout in (shop|vcluster-team-a) exits", d.RootCause);
        Assert.StartsWith("openai:", d.Engine, StringComparison.Ordinal);
        Assert.Equal(0.9, d.Confidence);
        Assert.Equal(2, d.Evidence.Select(e => e.Summary[..e.Summary.IndexOf(']', StringComparison.Ordinal)]).Distinct().Count());
        var action = Assert.Single(d.Remediations, r => r.Action.Length > 0);
        Assert.Equal(RemediationCatalog.RolloutRestart, action.Action);
        Assert.Equal(Risk.Medium, action.Risk);
        Assert.Equal("checkout", action.Target.Name);
    }

    [Fact]
    public async Task DiagnoseAsync_InvalidThenValidAnswer_OneRepairRoundCarriesTheErrors()
    {
        var (incident, evidence) = Replay.Single("crashloop-missing-env", "CrashLoop");
        await using var server = await FakeProviderServer.StartAsync(Path, Ct);
        server.Then(OpenAIWire.Json(OpenAIWire.Completion(Answer("\"ev:99\""))))
            .Then(OpenAIWire.Json(OpenAIWire.Completion(Answer("\"sig:1\""))));
        using var llm = OpenAI(server.BaseUri);

        var outcome = await Engine(llm.ChatClient).DiagnoseAsync(incident, evidence, Ct);

        Assert.Equal(DiagnosisSource.LlmRepaired, outcome.Source);
        Assert.Equal(2, outcome.LlmCalls);
        Assert.Equal(2, outcome.Diagnosis.LlmCalls);
        Assert.Equal(2, server.RequestCount);
        var repair = server.RequestBodies.Last();
        Assert.Contains("ev:99 not in the evidence pack", repair, StringComparison.Ordinal);
        Assert.Contains("ev:99", JsonNode.Parse(repair)!["messages"]!.AsArray()[2]!["content"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiagnoseAsync_AnswerInvalidTwice_FallsBackToRulesAfterTwoCalls()
    {
        var (incident, evidence) = Replay.Single("crashloop-missing-env", "CrashLoop");
        await using var server = await FakeProviderServer.StartAsync(Path, Ct);
        server.Then(OpenAIWire.Json(OpenAIWire.Completion("The pod is broken, restart it.")));
        using var llm = OpenAI(server.BaseUri);

        var outcome = await Engine(llm.ChatClient).DiagnoseAsync(incident, evidence, Ct);

        Assert.Equal(DiagnosisSource.RulesAfterInvalidAnswer, outcome.Source);
        Assert.Equal(2, outcome.LlmCalls);
        Assert.Equal(2, server.RequestCount);
        Assert.Equal(DiagnosisEngine.RulesEngine, outcome.Diagnosis.Engine);
        Assert.Contains(outcome.Errors, e => e.Contains("not JSON", StringComparison.Ordinal));
        Assert.Contains("DEPLOY_ENV", outcome.Diagnosis.RootCause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiagnoseAsync_ProviderRejectsTheRequest_FallsBackToRules()
    {
        var (incident, evidence) = Replay.Single("crashloop-missing-env", "CrashLoop");
        await using var server = await FakeProviderServer.StartAsync(Path, Ct);
        server.Then(OpenAIWire.Json("""{"error": {"message": "model not found", "type": "invalid_request_error"}}""", status: 404));
        using var llm = OpenAI(server.BaseUri);

        var outcome = await Engine(llm.ChatClient).DiagnoseAsync(incident, evidence, Ct);

        Assert.Equal(DiagnosisSource.RulesAfterLlmFailure, outcome.Source);
        Assert.Equal(1, server.RequestCount);
        Assert.Equal(DiagnosisEngine.RulesEngine, outcome.Diagnosis.Engine);
    }
}
