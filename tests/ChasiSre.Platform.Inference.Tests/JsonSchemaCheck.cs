using System.Text.Json;

namespace ChasiSre.Platform.Inference.Tests;

/// <summary>
/// A small, independent validator for the JSON Schema subset the compiler supports: the tests
/// judge generated JSON with it rather than trusting the grammar.
/// </summary>
internal static class JsonSchemaCheck
{
    /// <summary>Parses <paramref name="json"/> and returns every violation of <paramref name="schemaJson"/> (empty when valid).</summary>
    public static IReadOnlyList<string> Validate(string json, string schemaJson)
    {
        using var schema = JsonDocument.Parse(schemaJson);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            return [$"not JSON: {ex.Message}"];
        }

        using (document)
        {
            var errors = new List<string>();
            Check(document.RootElement, schema.RootElement, schema.RootElement, "$", errors);
            return errors;
        }
    }

    private static void Check(JsonElement value, JsonElement schema, JsonElement root, string path, List<string> errors)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var target = root;
            foreach (var segment in reference.GetString()!.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                target = target.GetProperty(segment);
            }

            Check(value, target, root, path, errors);
            return;
        }

        if (schema.TryGetProperty("anyOf", out var anyOf) || schema.TryGetProperty("oneOf", out anyOf))
        {
            int matches = anyOf.EnumerateArray().Count(s =>
            {
                var inner = new List<string>();
                Check(value, s, root, path, inner);
                return inner.Count == 0;
            });
            if (matches == 0)
            {
                errors.Add($"{path}: matches no alternative");
            }

            return;
        }

        if (schema.TryGetProperty("const", out var constant) && !JsonElement.DeepEquals(constant, value))
        {
            errors.Add($"{path}: {value.GetRawText()} is not the const {constant.GetRawText()}");
        }

        if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => JsonElement.DeepEquals(v, value)))
        {
            errors.Add($"{path}: {value.GetRawText()} is not one of {values.GetRawText()}");
        }

        if (!schema.TryGetProperty("type", out var type))
        {
            return;
        }

        var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToArray() : [type.GetString()!];
        string? actual = types.FirstOrDefault(t => IsOfType(value, t));
        if (actual is null)
        {
            errors.Add($"{path}: {value.ValueKind} is not {string.Join(" or ", types)}");
            return;
        }

        switch (actual)
        {
            case "string":
                int length = value.GetString()!.EnumerateRunes().Count();
                if (Int(schema, "maxLength") is { } maxLength && length > maxLength)
                {
                    errors.Add($"{path}: length {length} > maxLength {maxLength}");
                }

                if (Int(schema, "minLength") is { } minLength && length < minLength)
                {
                    errors.Add($"{path}: length {length} < minLength {minLength}");
                }

                if (value.GetString()!.Contains('\uFFFD', StringComparison.Ordinal))
                {
                    errors.Add($"{path}: contains U+FFFD (the model produced invalid UTF-8)");
                }

                break;
            case "integer" or "number":
                double number = value.GetDouble();
                if (schema.TryGetProperty("minimum", out var minimum) && number < minimum.GetDouble())
                {
                    errors.Add($"{path}: {number} < minimum {minimum.GetDouble()}");
                }

                if (schema.TryGetProperty("maximum", out var maximum) && number > maximum.GetDouble())
                {
                    errors.Add($"{path}: {number} > maximum {maximum.GetDouble()}");
                }

                break;
            case "array":
                int count = value.GetArrayLength();
                if (Int(schema, "maxItems") is { } maxItems && count > maxItems)
                {
                    errors.Add($"{path}: {count} items > maxItems {maxItems}");
                }

                if (Int(schema, "minItems") is { } minItems && count < minItems)
                {
                    errors.Add($"{path}: {count} items < minItems {minItems}");
                }

                int index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Check(item, schema.GetProperty("items"), root, $"{path}[{index++}]", errors);
                }

                break;
            case "object":
                var properties = schema.TryGetProperty("properties", out var props) ? props : default;
                if (schema.TryGetProperty("required", out var required))
                {
                    foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                    {
                        if (!value.TryGetProperty(name, out _))
                        {
                            errors.Add($"{path}: required property '{name}' is missing");
                        }
                    }
                }

                foreach (var member in value.EnumerateObject())
                {
                    if (properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(member.Name, out var propertySchema))
                    {
                        errors.Add($"{path}: undeclared property '{member.Name}'");
                        continue;
                    }

                    Check(member.Value, propertySchema, root, $"{path}.{member.Name}", errors);
                }

                break;
        }
    }

    private static bool IsOfType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => false,
    };

    private static int? Int(JsonElement schema, string keyword) => schema.TryGetProperty(keyword, out var v) ? v.GetInt32() : null;
}
