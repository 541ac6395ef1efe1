using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ChasiSre.Ingest.Scenarios;

/// <summary>What a YAML scalar means under the YAML 1.2 core schema.</summary>
internal enum YamlScalarKind
{
    Null,
    Bool,
    Int,
    Float,
    String,
}

/// <summary>A resolved scalar. <see cref="Number"/> is set for Int and Float; <see cref="Json"/> is its JSON form
/// (null for Null and for non-finite floats, which JSON cannot carry).</summary>
internal readonly record struct YamlScalar(YamlScalarKind Kind, string Text, bool Bool, double Number, JsonNode? Json)
{
    public bool IsFiniteNumber => Kind is YamlScalarKind.Int || (Kind is YamlScalarKind.Float && double.IsFinite(Number));
}

/// <summary>Scalar typing per the YAML 1.2 core schema: quoted scalars are strings, plain ones are null, bool, int,
/// float or string; the standard <c>!!str !!int !!float !!bool !!null</c> tags force a type.</summary>
internal static partial class YamlScalars
{
    private const string TagPrefix = "tag:yaml.org,2002:";

    [GeneratedRegex("^(~|null|Null|NULL|)$")]
    private static partial Regex NullPattern();

    [GeneratedRegex("^(true|True|TRUE|false|False|FALSE)$")]
    private static partial Regex BoolPattern();

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex DecimalPattern();

    [GeneratedRegex("^0o[0-7]+$")]
    private static partial Regex OctalPattern();

    [GeneratedRegex("^0x[0-9a-fA-F]+$")]
    private static partial Regex HexPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^[-+]?\.(inf|Inf|INF)$")]
    private static partial Regex InfinityPattern();

    [GeneratedRegex(@"^\.(nan|NaN|NAN)$")]
    private static partial Regex NanPattern();

    /// <summary>Resolves <paramref name="node"/>; returns an error text when an explicit tag cannot apply.</summary>
    public static string? TryResolve(YamlScalarNode node, out YamlScalar scalar)
    {
        var text = node.Value ?? "";
        var tag = node.Tag.IsEmpty ? null : node.Tag.Value;
        if (tag is null)
        {
            scalar = node.Style is ScalarStyle.Plain or ScalarStyle.Any ? ResolvePlain(text) : String(text);
            return null;
        }

        switch (tag)
        {
            case "!":
            case TagPrefix + "str":
                scalar = String(text);
                return null;
            case TagPrefix + "null":
                scalar = new YamlScalar(YamlScalarKind.Null, text, false, 0, null);
                return NullPattern().IsMatch(text) ? null : $"'{text}' is not a valid !!null";
            case TagPrefix + "bool":
                scalar = ResolvePlain(text);
                return scalar.Kind == YamlScalarKind.Bool ? null : $"'{text}' is not a valid !!bool";
            case TagPrefix + "int":
                scalar = ResolvePlain(text);
                return scalar.Kind == YamlScalarKind.Int ? null : $"'{text}' is not a valid !!int";
            case TagPrefix + "float":
                scalar = ResolvePlain(text);
                if (scalar.Kind == YamlScalarKind.Int)
                {
                    scalar = Float(text, scalar.Number);
                }

                return scalar.Kind == YamlScalarKind.Float ? null : $"'{text}' is not a valid !!float";
            default:
                scalar = String(text);
                return $"unsupported YAML tag '{tag}' (only !!str, !!int, !!float, !!bool and !!null are understood)";
        }
    }

    private static YamlScalar ResolvePlain(string text)
    {
        if (NullPattern().IsMatch(text))
        {
            return new YamlScalar(YamlScalarKind.Null, text, false, 0, null);
        }

        if (BoolPattern().IsMatch(text))
        {
            var value = text[0] is 't' or 'T';
            return new YamlScalar(YamlScalarKind.Bool, text, value, 0, JsonValue.Create(value));
        }

        if (DecimalPattern().IsMatch(text))
        {
            return Integer(text, BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
        }

        if (OctalPattern().IsMatch(text))
        {
            var value = BigInteger.Zero;
            foreach (var c in text.AsSpan(2))
            {
                value = (value * 8) + (c - '0');
            }

            return Integer(text, value);
        }

        if (HexPattern().IsMatch(text))
        {
            return Integer(text, BigInteger.Parse("0" + text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
        }

        if (FloatPattern().IsMatch(text))
        {
            return Float(text, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        if (InfinityPattern().IsMatch(text))
        {
            return Float(text, text[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity);
        }

        return NanPattern().IsMatch(text) ? Float(text, double.NaN) : String(text);
    }

    private static YamlScalar String(string text) => new(YamlScalarKind.String, text, false, 0, JsonValue.Create(text));

    private static YamlScalar Float(string text, double value) =>
        new(YamlScalarKind.Float, text, false, value, double.IsFinite(value) ? JsonValue.Create(value) : null);

    private static YamlScalar Integer(string text, BigInteger value)
    {
        JsonNode json = value >= long.MinValue && value <= long.MaxValue
            ? JsonValue.Create((long)value)
            : JsonNode.Parse(value.ToString(CultureInfo.InvariantCulture))!;
        return new YamlScalar(YamlScalarKind.Int, text, false, (double)value, json);
    }
}
