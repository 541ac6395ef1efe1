using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ChasiSre.Ingest.Scenarios;

/// <summary>One YAML file being read: collects errors with their file, line and column, bounds alias expansion
/// (every visit of a node is charged to a budget, so a billion-laughs document stops early) and converts
/// YAML nodes to System.Text.Json nodes.</summary>
internal sealed class YamlReadContext(string file, List<ScenarioError> errors, int nodeBudget = YamlReadContext.DefaultNodeBudget)
{
    public const int DefaultNodeBudget = 2_000_000;
    public const int MaxDepth = 128;

    private readonly int budget = nodeBudget;
    private int remaining = nodeBudget;
    private bool budgetReported;

    public string File { get; } = file;

    public bool BudgetExhausted => remaining < 0;

    public void Error(YamlNode node, string reason) => Error(node.Start, reason);

    public void Error(Mark mark, string reason) =>
        errors.Add(new ScenarioError(File, checked((int)mark.Line), checked((int)mark.Column), reason));

    /// <summary>Charges one node visit; false (and one error) once the budget is spent.</summary>
    public bool Charge(YamlNode node)
    {
        if (--remaining >= 0)
        {
            return true;
        }

        if (!budgetReported)
        {
            budgetReported = true;
            Error(node, $"the document expands to more than {budget} nodes through aliases (alias bomb?); refusing to read it");
        }

        return false;
    }

    /// <summary>Converts a YAML node to JSON: keys become strings, scalars are typed by <see cref="YamlScalars"/>,
    /// aliases are expanded within the budget. Returns null for YAML null (and on error, after recording it).</summary>
    public JsonNode? ToJson(YamlNode node) => ToJson(node, 0);

    private JsonNode? ToJson(YamlNode node, int depth)
    {
        if (!Charge(node))
        {
            return null;
        }

        if (depth > MaxDepth)
        {
            Error(node, $"nesting deeper than {MaxDepth} levels (a recursive alias?)");
            remaining = -1;
            return null;
        }

        switch (node)
        {
            case YamlScalarNode scalar:
                var tagError = YamlScalars.TryResolve(scalar, out var value);
                if (tagError is not null)
                {
                    Error(node, tagError);
                    return null;
                }

                if (value.Kind == YamlScalarKind.Float && !double.IsFinite(value.Number))
                {
                    Error(node, $"'{value.Text}' is not a finite number and cannot be represented in a Kubernetes object");
                }

                return value.Json;
            case YamlSequenceNode sequence:
                CheckCollectionTag(sequence, "seq");
                var array = new JsonArray();
                foreach (var child in sequence.Children)
                {
                    if (BudgetExhausted)
                    {
                        return null;
                    }

                    array.Add(ToJson(child, depth + 1));
                }

                return array;
            case YamlMappingNode mapping:
                CheckCollectionTag(mapping, "map");
                var obj = new JsonObject();
                foreach (var (key, child) in mapping.Children)
                {
                    if (BudgetExhausted)
                    {
                        return null;
                    }

                    if (key is not YamlScalarNode keyScalar)
                    {
                        Error(key, "mapping keys must be scalars");
                        continue;
                    }

                    var name = keyScalar.Value ?? "";
                    if (name == "<<" && keyScalar.Style is ScalarStyle.Plain)
                    {
                        Error(key, "YAML merge keys (<<) are not supported; write the keys out");
                        continue;
                    }

                    if (!obj.TryAdd(name, ToJson(child, depth + 1)))
                    {
                        Error(key, $"duplicate key '{name}'");
                    }
                }

                return obj;
            default:
                Error(node, "unsupported YAML node");
                return null;
        }
    }

    private void CheckCollectionTag(YamlNode node, string expected)
    {
        if (!node.Tag.IsEmpty && node.Tag.Value != "!" && node.Tag.Value != "tag:yaml.org,2002:" + expected)
        {
            Error(node, $"unsupported YAML tag '{node.Tag.Value}'");
        }
    }
}
