using ChasiSre.Diagnosis.Evidence;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Diagnosis.Engine.Tests;

public sealed class AnswerContractTests
{
    private static readonly EvidencePackBuilder Packs = new(new EvidencePackOptions());

    private static (EvidencePack Pack, AnswerContract Contract) CrashLoop()
    {
        var (incident, evidence) = Replay.Single("crashloop-missing-env", "CrashLoop");
        var pack = Packs.Build(incident, evidence);
        return (pack, new AnswerContract(pack));
    }

    private static string Answer(string evidence = "\"sig:1\"", string actions = "[]", string layer = "virtual") => $$"""
        {"rootCause": "DEPLOY_ENV is not set in Deployment checkout", "layer": "{{layer}}", "confidence": 0.8,
         "evidence": [{{evidence}}], "remediation": ["Set DEPLOY_ENV in the Deployment's env"], "actions": {{actions}}}
        """;

    [Fact]
    public void Schema_PackWithSignalsAndObjects_EnumeratesPackIdsAndNamesNoObject()
    {
        var (pack, contract) = CrashLoop();

        var schema = contract.Schema.GetRawText();

        Assert.Contains("\"sig:1\"", schema, StringComparison.Ordinal);
        Assert.Contains("\"log:", schema, StringComparison.Ordinal);
        Assert.Contains("obj:1", contract.Targets.Keys);
        // The schema travels to the provider without pseudonymisation: no tenant, namespace or object name in it.
        Assert.DoesNotContain("team-a", schema, StringComparison.Ordinal);
        Assert.DoesNotContain("checkout", schema, StringComparison.Ordinal);
        Assert.DoesNotContain("shop", schema, StringComparison.Ordinal);
        Assert.All(pack.Items, i => Assert.Contains($"\"{i.Id}\"", schema, StringComparison.Ordinal));
    }

    [Fact]
    public void Read_ValidAnswer_ReturnsItWithoutErrors()
    {
        var (_, contract) = CrashLoop();

        var answer = contract.Read(Answer(), out var errors);

        Assert.Empty(errors);
        Assert.NotNull(answer);
        Assert.Equal(Layer.Virtual, answer.Layer);
        Assert.Equal(["sig:1"], answer.Evidence);
        Assert.Equal(0.8, answer.Confidence);
    }

    [Fact]
    public void Read_AnswerInMarkdownFence_IsRead()
    {
        var (_, contract) = CrashLoop();

        var answer = contract.Read("```json\n" + Answer() + "\n```", out var errors);

        Assert.Empty(errors);
        Assert.NotNull(answer);
    }

    [Theory]
    [InlineData("", "the answer is empty")]
    [InlineData("The pod crashes because DEPLOY_ENV is missing.", "not JSON")]
    [InlineData("[1, 2]", "one JSON object")]
    [InlineData("""{"rootCause": "x", "layer": "cluster", "confidence": 1.5, "evidence": [], "remediation": []}""", "layer: 'cluster'")]
    public void Read_MalformedAnswer_ExplainsWhatIsWrong(string text, string expected)
    {
        var (_, contract) = CrashLoop();

        var answer = contract.Read(text, out var errors);

        Assert.Null(answer);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Read_EvidenceIdNotInPack_RejectedWithThePackIds()
    {
        var (_, contract) = CrashLoop();

        var answer = contract.Read(Answer("\"sig:1\", \"ev:99\""), out var errors);

        Assert.Null(answer);
        var error = Assert.Single(errors);
        Assert.Contains("ev:99 not in the evidence pack", error, StringComparison.Ordinal);
        Assert.Contains("sig:1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ActionOutsideCatalog_Rejected()
    {
        var (_, contract) = CrashLoop();

        var answer = contract.Read(Answer(actions: """[{"action": "delete-namespace", "target": "obj:1", "risk": "high", "reason": "start over"}]"""), out var errors);

        Assert.Null(answer);
        Assert.Contains(errors, e => e.Contains("'delete-namespace' is not in the catalog", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_ActionOnWrongKind_Rejected()
    {
        var (_, contract) = CrashLoop();

        // obj:1 is the Deployment: cordoning applies to Nodes only.
        var answer = contract.Read(Answer(actions: """[{"action": "cordon-node", "target": "obj:1", "risk": "high", "reason": "move the pods"}]"""), out var errors);

        Assert.Null(answer);
        Assert.Contains(errors, e => e.Contains("cordon-node applies to Node, not a Deployment", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_RiskBelowCatalogMinimum_RaisedToTheMinimum()
    {
        var (_, contract) = CrashLoop();

        var answer = contract.Read(Answer(actions: """[{"action": "rollout-restart", "target": "obj:1", "risk": "low", "reason": "pick up the fixed env"}]"""), out var errors);

        Assert.Empty(errors);
        var action = Assert.Single(answer!.Actions);
        Assert.Equal(Risk.Medium, action.Risk);
        Assert.Equal("Deployment", action.Target.Kind);
        Assert.Equal("checkout", action.Target.Name);
    }

    [Theory]
    [InlineData("""[]""", "scale needs 'replicas'")]
    [InlineData("""[{"name": "replicas", "value": "many"}]""", "replicas must be a whole number")]
    [InlineData("""[{"name": "replicas", "value": "2"}, {"name": "force", "value": "true"}]""", "scale takes no parameter 'force'")]
    public void Read_ScaleWithBadParameters_Rejected(string parameters, string expected)
    {
        var (_, contract) = CrashLoop();

        var answer = contract.Read(Answer(actions: $$"""[{"action": "scale", "target": "obj:1", "risk": "medium", "reason": "more replicas", "parameters": {{parameters}}}]"""), out var errors);

        Assert.Null(answer);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }
}
