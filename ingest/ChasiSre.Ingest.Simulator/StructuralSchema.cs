using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChasiSre.Ingest.Simulator;

/// <summary>
/// Validation of a custom resource against its CustomResourceDefinition's <c>openAPIV3Schema</c>, as the apiextensions
/// apiserver does it for structural schemas: <c>type</c>, <c>properties</c>, <c>additionalProperties</c>,
/// <c>items</c>, <c>required</c>, <c>enum</c>, <c>pattern</c>, <c>minLength</c>/<c>maxLength</c>,
/// <c>minimum</c>/<c>maximum</c>, <c>minItems</c>/<c>maxItems</c>, <c>nullable</c>, <c>oneOf</c>/<c>anyOf</c>/<c>allOf</c>/<c>not</c>
/// (value validations only), <c>x-kubernetes-int-or-string</c> and <c>x-kubernetes-preserve-unknown-fields</c>.
/// Fields the schema does not know are reported (for <c>fieldValidation=Strict</c>) and pruned, like the apiserver.
/// Not evaluated: <c>format</c>, <c>x-kubernetes-validations</c> (CEL), list-type and map-type uniqueness.
/// Field paths and messages are worded like the apiserver's (<c>spec.rules[0].decision: Unsupported value: ...</c>).
/// </summary>
internal static class StructuralSchema
{
    private static readonly string[] RootFields = ["apiVersion", "kind", "metadata"];

    /// <summary>Validates <paramref name="obj"/>; prunes unknown fields from it and returns their paths.</summary>
    public static (List<(string Field, string Message)> Causes, List<string> Unknown) Validate(JsonObject schema, JsonObject obj)
    {
        var causes = new List<(string, string)>();
        var unknown = new List<string>();
        var properties = schema["properties"] as JsonObject;
        foreach (var (name, value) in obj.ToList())
        {
            if (RootFields.Contains(name))
            {
                continue;
            }

            if (properties?[name] is JsonObject child)
            {
                Check(child, value, name, causes, unknown, obj, name, prune: true);
            }
            else if (!PreservesUnknown(schema))
            {
                unknown.Add(name);
                obj.Remove(name);
            }
        }

        foreach (var required in Strings(schema["required"]).Where(r => !RootFields.Contains(r) && !obj.ContainsKey(r)))
        {
            causes.Add((required, "Required value"));
        }

        return (causes, unknown);
    }

    private static void Check(JsonObject schema, JsonNode? value, string path, List<(string, string)> causes, List<string> unknown, JsonNode? parent, string? key, bool prune)
    {
        if (value is null)
        {
            if (prune && schema["nullable"]?.GetValue<bool>() != true)
            {
                // The apiserver drops nulls of non-nullable fields rather than failing (pruning of nulls).
                if (parent is JsonObject o && key is not null)
                {
                    o.Remove(key);
                }
            }

            return;
        }

        var type = schema["type"]?.GetValue<string>();
        var intOrString = schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true;
        var actual = TypeOf(value);
        if (intOrString ? actual is not ("integer" or "string") : type is not null && !Matches(type, actual))
        {
            var expected = intOrString ? "integer or string" : type;
            causes.Add((path, $"Invalid value: \"{actual}\": {path} in body must be of type {expected}: \"{actual}\""));
            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            causes.Add((path, $"Unsupported value: {value.ToJsonString()}: supported values: {string.Join(", ", allowed.Select(a => a?.ToJsonString()))}"));
        }

        switch (value)
        {
            case JsonObject obj:
                CheckObject(schema, obj, path, causes, unknown, prune);
                break;
            case JsonArray array:
                CheckArray(schema, array, path, causes, unknown, prune);
                break;
            case JsonValue scalar:
                CheckScalar(schema, scalar, actual, path, causes);
                break;
        }

        foreach (var combinator in new[] { "allOf", "anyOf", "oneOf" })
        {
            if (schema[combinator] is not JsonArray branches)
            {
                continue;
            }

            var passing = branches.OfType<JsonObject>().Count(b => Passes(b, value));
            var ok = combinator switch
            {
                "allOf" => passing == branches.Count,
                "anyOf" => passing > 0,
                _ => passing == 1,
            };
            if (!ok)
            {
                var what = combinator == "oneOf" ? "must validate one and only one schema (oneOf)" : combinator == "anyOf" ? "must validate at least one schema (anyOf)" : "must validate all the schemas (allOf)";
                causes.Add((path, $"Invalid value: {Brief(value)}: {path} in body {what}"));
            }
        }

        if (schema["not"] is JsonObject not && Passes(not, value))
        {
            causes.Add((path, $"Invalid value: {Brief(value)}: {path} in body should not be valid against the schema (not)"));
        }
    }

    private static void CheckObject(JsonObject schema, JsonObject obj, string path, List<(string, string)> causes, List<string> unknown, bool prune)
    {
        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"];
        var preserve = PreservesUnknown(schema);
        foreach (var (name, child) in obj.ToList())
        {
            var childPath = $"{path}.{name}";
            if (properties?[name] is JsonObject childSchema)
            {
                Check(childSchema, child, childPath, causes, unknown, obj, name, prune);
            }
            else if (additional is JsonObject additionalSchema)
            {
                Check(additionalSchema, child, childPath, causes, unknown, obj, name, prune);
            }
            else if (prune && !preserve && !(additional is JsonValue allow && allow.GetValue<bool>()))
            {
                unknown.Add(childPath);
                obj.Remove(name);
            }
        }

        foreach (var required in Strings(schema["required"]).Where(r => !obj.ContainsKey(r)))
        {
            causes.Add(($"{path}.{required}", "Required value"));
        }

        if (Number(schema["minProperties"]) is { } min && obj.Count < min)
        {
            causes.Add((path, $"Invalid value: {obj.Count}: {path} in body should have at least {min} properties"));
        }
    }

    private static void CheckArray(JsonObject schema, JsonArray array, string path, List<(string, string)> causes, List<string> unknown, bool prune)
    {
        if (schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Check(items, array[i], $"{path}[{i}]", causes, unknown, array, null, prune);
            }
        }

        if (Number(schema["minItems"]) is { } min && array.Count < min)
        {
            causes.Add((path, $"Invalid value: {array.Count}: {path} in body should have at least {min} items"));
        }

        if (Number(schema["maxItems"]) is { } max && array.Count > max)
        {
            causes.Add((path, $"Too many: {array.Count}: must have at most {max} items"));
        }
    }

    private static void CheckScalar(JsonObject schema, JsonValue scalar, string actual, string path, List<(string, string)> causes)
    {
        if (actual == "string")
        {
            var text = scalar.GetValue<string>();
            if (Number(schema["minLength"]) is { } min && text.Length < min)
            {
                causes.Add((path, $"Invalid value: \"{text}\": {path} in body should be at least {min} chars long"));
            }

            if (Number(schema["maxLength"]) is { } max && text.Length > max)
            {
                causes.Add((path, $"Too long: may not be more than {max} bytes"));
            }

            if (schema["pattern"]?.GetValue<string>() is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
            {
                causes.Add((path, $"Invalid value: \"{text}\": {path} in body should match '{pattern}'"));
            }
        }
        else if (actual is "integer" or "number")
        {
            var number = double.Parse(scalar.ToJsonString(), CultureInfo.InvariantCulture);
            if (Number(schema["minimum"]) is { } min && number < min)
            {
                causes.Add((path, $"Invalid value: {scalar.ToJsonString()}: {path} in body should be greater than or equal to {min.ToString(CultureInfo.InvariantCulture)}"));
            }

            if (Number(schema["maximum"]) is { } max && number > max)
            {
                causes.Add((path, $"Invalid value: {scalar.ToJsonString()}: {path} in body should be less than or equal to {max.ToString(CultureInfo.InvariantCulture)}"));
            }
        }
    }

    /// <summary>Whether <paramref name="value"/> satisfies a value-validation branch (no pruning, no unknown fields).</summary>
    private static bool Passes(JsonObject branch, JsonNode value)
    {
        var causes = new List<(string, string)>();
        // A branch only validates values: fields it does not name are not unknown, and nothing is pruned.
        Check(branch, value, "x", causes, [], null, null, prune: false);
        return causes.Count == 0;
    }

    private static bool PreservesUnknown(JsonObject schema) => schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;

    private static bool Matches(string expected, string actual) => expected == actual || (expected == "number" && actual == "integer");

    private static string TypeOf(JsonNode value) => value switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => v.ToJsonString().AsSpan().IndexOfAny(".eE") < 0 ? "integer" : "number",
            _ => "null",
        },
        _ => "null",
    };

    private static string Brief(JsonNode value) => value is JsonValue ? value.ToJsonString() : $"\"{TypeOf(value)}\"";

    private static double? Number(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture) : null;

    private static IEnumerable<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(n => n?.GetValue<string>()).OfType<string>() : [];
}
