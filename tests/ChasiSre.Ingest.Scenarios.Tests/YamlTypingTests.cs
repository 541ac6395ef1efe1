using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Scenarios.Tests;

public sealed class YamlTypingTests
{
    private static JsonObject Convert(string yaml, out List<ScenarioError> errors)
    {
        errors = [];
        var context = new YamlReadContext("test.yaml", errors);
        var document = YamlDocumentLoader.Parse(context, yaml);
        return document is null ? [] : (JsonObject)context.ToJson(document)!;
    }

    [Theory]
    [InlineData("v: '8'", "\"8\"")]
    [InlineData("v: \"8\"", "\"8\"")]
    [InlineData("v: ''", "\"\"")]
    [InlineData("v: 'True'", "\"True\"")]
    [InlineData("v: 8", "8")]
    [InlineData("v: -12", "-12")]
    [InlineData("v: 0x1F", "31")]
    [InlineData("v: 0o17", "15")]
    [InlineData("v: 012", "12")]
    [InlineData("v: 123456789012345678901234567890", "123456789012345678901234567890")]
    [InlineData("v: 1.5", "1.5")]
    [InlineData("v: 1.2e8", "120000000")]
    [InlineData("v: true", "true")]
    [InlineData("v: False", "false")]
    [InlineData("v: yes", "\"yes\"")]
    [InlineData("v: on", "\"on\"")]
    [InlineData("v: null", "null")]
    [InlineData("v: ~", "null")]
    [InlineData("v:", "null")]
    [InlineData("v: 2026-03-01T10:00:00Z", "\"2026-03-01T10:00:00Z\"")]
    [InlineData("v: 1_000", "\"1_000\"")]
    [InlineData("v: !!str 8", "\"8\"")]
    [InlineData("v: !!int '8'", "8")]
    [InlineData("v: !!float 8", "8")]
    [InlineData("v: 25%", "\"25%\"")]
    [InlineData("v: |\n  line1\n  line2\n", "\"line1\\nline2\\n\"")]
    public void ToJson_Scalar_TypedByYaml12CoreSchema(string yaml, string expectedJson)
    {
        var obj = Convert(yaml, out var errors);

        Assert.Empty(errors);
        Assert.Equal(expectedJson, obj["v"]?.ToJsonString() ?? "null");
    }

    [Fact]
    public void ToJson_KeysThatLookTyped_StayStrings()
    {
        var obj = Convert("1: a\ntrue: b\nnull: c\n", out var errors);

        Assert.Empty(errors);
        Assert.Equal(["1", "true", "null"], obj.Select(p => p.Key));
    }

    [Fact]
    public void ToJson_Aliases_ResolvedToCopies()
    {
        var obj = Convert("base: &labels {app: web, tier: front}\ncopy: *labels\n", out var errors);

        Assert.Empty(errors);
        Assert.Equal("{\"app\":\"web\",\"tier\":\"front\"}", obj["copy"]!.ToJsonString());
        Assert.NotSame(obj["base"], obj["copy"]);
    }

    [Theory]
    [InlineData("v: .inf", "not a finite number")]
    [InlineData("v: !!binary aGVsbG8=", "unsupported YAML tag")]
    [InlineData("v: !!int abc", "not a valid !!int")]
    [InlineData("<<: {a: 1}", "merge keys")]
    [InlineData("? [a, b]\n: c\n", "keys must be scalars")]
    public void ToJson_UnrepresentableInput_ReportsError(string yaml, string reason)
    {
        Convert(yaml, out var errors);

        Assert.Contains(errors, e => e.Reason.Contains(reason, StringComparison.Ordinal) && e.Line == 1);
    }

    [Fact]
    public void Parse_DeepNesting_RejectedBeforeBuildingTheTree()
    {
        var errors = new List<ScenarioError>();
        var context = new YamlReadContext("deep.yaml", errors);

        var document = YamlDocumentLoader.Parse(context, new string('[', 100_000) + new string(']', 100_000));

        Assert.Null(document);
        Assert.Contains("nesting deeper than", Assert.Single(errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_NodeBudgetExceeded_StopsWithOneError()
    {
        var errors = new List<ScenarioError>();
        var context = new YamlReadContext("small.yaml", errors, nodeBudget: 50);
        var document = YamlDocumentLoader.Parse(context, "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: [*a, *a, *a, *a, *a, *a]\n");

        context.ToJson(document!);

        Assert.Contains("alias bomb", Assert.Single(errors).Reason, StringComparison.Ordinal);
    }
}
