using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ChasiSre.Platform.Inference;

/// <summary>
/// Compiles a JSON Schema subset into a GBNF grammar whose every sentence is compact JSON that
/// satisfies the schema, so a local model's output parses and validates by construction.
/// </summary>
/// <remarks>
/// <para>Supported: <c>type</c> (<c>object</c>, <c>array</c>, <c>string</c>, <c>integer</c>,
/// <c>number</c>, <c>boolean</c>, <c>null</c>, or a list of them), <c>properties</c> with
/// <c>required</c> (emitted in declaration order, optional ones may be left out), <c>items</c>,
/// <c>minItems</c>/<c>maxItems</c>, <c>minLength</c>/<c>maxLength</c>, <c>enum</c>, <c>const</c>,
/// <c>anyOf</c>/<c>oneOf</c>, a one-element <c>allOf</c>, and non-recursive local <c>$ref</c>s into
/// <c>$defs</c>/<c>definitions</c>. Annotations (<c>title</c>, <c>description</c>, <c>format</c>,
/// <c>default</c>, ...) are ignored; <c>additionalProperties</c> is accepted but extra
/// properties are never generated. Any other keyword is rejected with
/// <see cref="InvalidJsonSchemaException"/> rather than silently producing output that would not
/// validate.</para>
/// <para>Every size is bounded so generation ends: strings and arrays without
/// <c>maxLength</c>/<c>maxItems</c> get <see cref="JsonSchemaGbnfOptions"/> defaults, numbers have a
/// bounded number of digits, and no whitespace is generated between tokens. Numeric bounds are
/// enforced for the sign (<c>minimum</c> ≥ 0), for integer ranges small enough to list, and for the
/// [0, 1] number range; other numeric bounds are left to the caller's validation.</para>
/// </remarks>
public static class JsonSchemaGbnfCompiler
{
    /// <summary>Compiles a schema given as JSON text.</summary>
    /// <exception cref="InvalidJsonSchemaException">The text is not JSON or the schema is outside the supported subset.</exception>
    public static GbnfGrammar Compile(string schemaJson, JsonSchemaGbnfOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(schemaJson);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(schemaJson);
        }
        catch (JsonException ex)
        {
            throw new InvalidJsonSchemaException($"The schema is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            return Compile(document.RootElement, options);
        }
    }

    /// <summary>Compiles a schema.</summary>
    /// <exception cref="InvalidJsonSchemaException">The schema is outside the supported subset or contradicts itself.</exception>
    public static GbnfGrammar Compile(JsonElement schema, JsonSchemaGbnfOptions? options = null)
        => new Builder(schema, options ?? JsonSchemaGbnfOptions.Default).Build();

    private sealed class Builder(JsonElement root, JsonSchemaGbnfOptions options)
    {
        private const string CharRule = "char";

        private const string CharRuleBody = """[^"\\\x7F\x00-\x1F] | "\\" (["\\/bfnrt] | "u" ([0-9a-cA-CeEfF] [0-9a-fA-F]{3} | [dD] [0-7] [0-9a-fA-F]{2}))""";

        private static readonly HashSet<string> ValidationKeywords = new(StringComparer.Ordinal)
        {
            "type", "properties", "required", "items", "enum", "const", "minLength", "maxLength",
            "minItems", "maxItems", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
            "anyOf", "oneOf", "allOf", "$ref", "additionalProperties", "uniqueItems",
        };

        private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
        {
            "$schema", "$id", "$comment", "$defs", "definitions", "title", "description", "default",
            "examples", "format", "readOnly", "writeOnly", "deprecated", "contentMediaType", "contentEncoding",
        };

        private static readonly JavaScriptEncoder JsonTextEncoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

        private readonly List<KeyValuePair<string, string>> _rules = [];
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _refRules = new(StringComparer.Ordinal);
        private readonly HashSet<string> _refsInProgress = new(StringComparer.Ordinal);

        public GbnfGrammar Build()
        {
            if (options.DefaultMaxStringLength < 1 || options.DefaultMaxItems < 1 || options.MaxIntegerDigits < 1
                || options.MaxFractionDigits < 1 || options.MaxEnumeratedIntegerRange < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(options), "Every JsonSchemaGbnfOptions bound must be at least 1.");
            }

            _names.Add("root");
            _names.Add(CharRule);
            string body = Body(root, "#", "root");
            var text = new StringBuilder();
            text.Append("root ::= ").Append(body).Append('\n');
            foreach (var (name, ruleBody) in _rules)
            {
                text.Append(name).Append(" ::= ").Append(ruleBody).Append('\n');
            }

            return new GbnfGrammar(text.ToString());
        }

        private string Body(JsonElement schema, string path, string name)
        {
            if (schema.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                throw new InvalidJsonSchemaException("boolean schemas (true/false) are not supported: give a typed schema so the output is bounded.", path);
            }

            if (schema.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidJsonSchemaException($"a schema must be a JSON object, not {schema.ValueKind}.", path);
            }

            CheckKeywords(schema, path);

            if (schema.TryGetProperty("$ref", out var reference))
            {
                return Reference(reference, path);
            }

            if (schema.TryGetProperty("const", out var constant))
            {
                return JsonLiteral(constant, path + "/const");
            }

            if (schema.TryGetProperty("enum", out var values))
            {
                return Enum(values, path + "/enum");
            }

            if (schema.TryGetProperty("anyOf", out var anyOf))
            {
                return Alternatives(anyOf, path + "/anyOf", name);
            }

            if (schema.TryGetProperty("oneOf", out var oneOf))
            {
                return Alternatives(oneOf, path + "/oneOf", name);
            }

            if (schema.TryGetProperty("allOf", out var allOf))
            {
                if (allOf.ValueKind != JsonValueKind.Array || allOf.GetArrayLength() != 1)
                {
                    throw new InvalidJsonSchemaException("allOf is supported only with exactly one schema.", path + "/allOf");
                }

                return Body(allOf[0], path + "/allOf/0", name);
            }

            if (!schema.TryGetProperty("type", out var type))
            {
                if (schema.TryGetProperty("properties", out _))
                {
                    return TypeBody("object", schema, path, name);
                }

                if (schema.TryGetProperty("items", out _))
                {
                    return TypeBody("array", schema, path, name);
                }

                throw new InvalidJsonSchemaException("the schema has no 'type' (nor enum, const, anyOf, oneOf or $ref), so its output would be unbounded.", path);
            }

            if (type.ValueKind == JsonValueKind.String)
            {
                return TypeBody(type.GetString()!, schema, path, name);
            }

            if (type.ValueKind == JsonValueKind.Array && type.GetArrayLength() > 0)
            {
                var alternatives = new List<string>();
                foreach (var item in type.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        throw new InvalidJsonSchemaException("'type' must be a string or an array of strings.", path + "/type");
                    }

                    string alternative = TypeBody(item.GetString()!, schema, path, name);
                    if (!alternatives.Contains(alternative))
                    {
                        alternatives.Add(alternative);
                    }
                }

                return alternatives.Count == 1 ? alternatives[0] : "(" + string.Join(" | ", alternatives) + ")";
            }

            throw new InvalidJsonSchemaException("'type' must be a string or a non-empty array of strings.", path + "/type");
        }

        private string TypeBody(string type, JsonElement schema, string path, string name) => type switch
        {
            "string" => StringBody(schema, path),
            "integer" => IntegerBody(schema, path),
            "number" => NumberBody(schema, path),
            "boolean" => "(\"true\" | \"false\")",
            "null" => "\"null\"",
            "object" => ObjectBody(schema, path, name),
            "array" => ArrayBody(schema, path, name),
            _ => throw new InvalidJsonSchemaException($"unknown type '{type}' (expected object, array, string, integer, number, boolean or null).", path + "/type"),
        };

        private string StringBody(JsonElement schema, string path)
        {
            int min = NonNegativeInt(schema, "minLength", path) ?? 0;
            int max = NonNegativeInt(schema, "maxLength", path) ?? Math.Max(min, options.DefaultMaxStringLength);
            if (max < min)
            {
                throw new InvalidJsonSchemaException($"maxLength ({max}) is less than minLength ({min}).", path);
            }

            if (max == 0)
            {
                return "\"\\\"\\\"\"";
            }

            EnsureRule(CharRule, CharRuleBody);
            return "\"\\\"\" " + Repeat(CharRule, min, max) + " \"\\\"\"";
        }

        private string IntegerBody(JsonElement schema, string path)
        {
            var (low, high) = Bounds(schema, path);
            decimal? lowInt = low is { } l ? Math.Ceiling(l.Value + (l.Exclusive && l.Value == Math.Ceiling(l.Value) ? 1 : 0)) : null;
            decimal? highInt = high is { } h ? Math.Floor(h.Value - (h.Exclusive && h.Value == Math.Floor(h.Value) ? 1 : 0)) : null;
            if (lowInt is { } lo && highInt is { } hi)
            {
                if (lo > hi)
                {
                    throw new InvalidJsonSchemaException($"no integer lies between the minimum ({lo}) and the maximum ({hi}).", path);
                }

                if (hi - lo + 1 <= options.MaxEnumeratedIntegerRange)
                {
                    var literals = new List<string>();
                    for (decimal v = lo; v <= hi; v++)
                    {
                        literals.Add(Literal(v.ToString(CultureInfo.InvariantCulture)));
                    }

                    return literals.Count == 1 ? literals[0] : "(" + string.Join(" | ", literals) + ")";
                }
            }

            string digits = Repeat("[0-9]", 0, options.MaxIntegerDigits - 1);
            string positive = digits.Length == 0 ? "[1-9]" : "[1-9] " + digits;
            if (lowInt >= 1)
            {
                return positive;
            }

            string natural = "(\"0\" | " + positive + ")";
            return lowInt >= 0 ? natural : "\"-\"? " + natural;
        }

        private string NumberBody(JsonElement schema, string path)
        {
            var (low, high) = Bounds(schema, path);
            if (low is { } l && high is { } h && l.Value > h.Value)
            {
                throw new InvalidJsonSchemaException($"the minimum ({l.Value}) is greater than the maximum ({h.Value}).", path);
            }

            string fraction = "(\".\" " + Repeat("[0-9]", 1, options.MaxFractionDigits) + ")?";
            if (low is { Value: 0, Exclusive: false } && high is { Value: 1, Exclusive: false })
            {
                // The common probability / confidence case, enforced exactly.
                return "(\"0\" " + fraction + " | \"1\" (\".\" " + Repeat("\"0\"", 1, options.MaxFractionDigits) + ")?)";
            }

            string digits = Repeat("[0-9]", 0, options.MaxIntegerDigits - 1);
            string natural = "(\"0\" | " + (digits.Length == 0 ? "[1-9]" : "[1-9] " + digits) + ")";
            return (low is { Value: >= 0 } ? string.Empty : "\"-\"? ") + natural + " " + fraction;
        }

        private string ObjectBody(JsonElement schema, string path, string name)
        {
            var properties = new List<(string Name, string Kv, bool Required)>();
            var declared = new HashSet<string>(StringComparer.Ordinal);
            if (schema.TryGetProperty("properties", out var props))
            {
                if (props.ValueKind != JsonValueKind.Object)
                {
                    throw new InvalidJsonSchemaException("'properties' must be an object.", path + "/properties");
                }

                foreach (var prop in props.EnumerateObject())
                {
                    declared.Add(prop.Name);
                }
            }

            var required = new HashSet<string>(StringComparer.Ordinal);
            if (schema.TryGetProperty("required", out var req))
            {
                if (req.ValueKind != JsonValueKind.Array)
                {
                    throw new InvalidJsonSchemaException("'required' must be an array of property names.", path + "/required");
                }

                foreach (var item in req.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        throw new InvalidJsonSchemaException("'required' must contain only strings.", path + "/required");
                    }

                    string propertyName = item.GetString()!;
                    if (!declared.Contains(propertyName))
                    {
                        throw new InvalidJsonSchemaException($"required property '{propertyName}' is not declared in 'properties'.", path + "/required");
                    }

                    required.Add(propertyName);
                }
            }

            if (declared.Count == 0)
            {
                return Literal("{}");
            }

            foreach (var prop in props.EnumerateObject())
            {
                string propertyPath = path + "/properties/" + EscapePointer(prop.Name);
                string ruleName = Reserve(name + "-" + Sanitize(prop.Name));
                AddRule(ruleName, () => Body(prop.Value, propertyPath, ruleName));
                string key = Literal("\"" + JsonEncodedText.Encode(prop.Name, JsonTextEncoder).ToString() + "\":");
                properties.Add((prop.Name, key + " " + ruleName, required.Contains(prop.Name)));
            }

            // Alternatives for "the properties from i on, none emitted yet": the first emitted one
            // has no leading comma, every later one has.
            string After(int from)
            {
                var parts = new List<string>();
                for (int k = from; k < properties.Count; k++)
                {
                    parts.Add(properties[k].Required ? "\",\" " + properties[k].Kv : "(\",\" " + properties[k].Kv + ")?");
                }

                return string.Join(" ", parts);
            }

            var alternatives = new List<string>();
            bool canBeEmpty = true;
            for (int i = 0; i < properties.Count; i++)
            {
                string rest = After(i + 1);
                alternatives.Add(rest.Length == 0 ? properties[i].Kv : properties[i].Kv + " " + rest);
                if (properties[i].Required)
                {
                    canBeEmpty = false;
                    break;
                }
            }

            string members = alternatives.Count == 1 ? alternatives[0] : "(" + string.Join(" | ", alternatives) + ")";
            if (canBeEmpty)
            {
                members = (alternatives.Count == 1 ? "(" + members + ")" : members) + "?";
            }

            return "\"{\" " + members + " \"}\"";
        }

        private string ArrayBody(JsonElement schema, string path, string name)
        {
            if (!schema.TryGetProperty("items", out var items))
            {
                throw new InvalidJsonSchemaException("an array schema needs 'items'.", path);
            }

            if (items.ValueKind == JsonValueKind.Array)
            {
                throw new InvalidJsonSchemaException("tuple 'items' (an array of schemas) is not supported.", path + "/items");
            }

            if (schema.TryGetProperty("uniqueItems", out var unique) && unique.ValueKind == JsonValueKind.True)
            {
                throw new InvalidJsonSchemaException("uniqueItems: true cannot be enforced by a grammar.", path + "/uniqueItems");
            }

            int min = NonNegativeInt(schema, "minItems", path) ?? 0;
            int max = NonNegativeInt(schema, "maxItems", path) ?? Math.Max(min, options.DefaultMaxItems);
            if (max < min)
            {
                throw new InvalidJsonSchemaException($"maxItems ({max}) is less than minItems ({min}).", path);
            }

            if (max == 0)
            {
                return Literal("[]");
            }

            string itemRule = Reserve(name + "-item");
            AddRule(itemRule, () => Body(items, path + "/items", itemRule));
            string more = Repeat("\",\" " + itemRule, Math.Max(0, min - 1), max - 1);
            string list = more.Length == 0 ? itemRule : itemRule + " " + more;
            return min == 0 ? "\"[\" (" + list + ")? \"]\"" : "\"[\" " + list + " \"]\"";
        }

        private static string Enum(JsonElement values, string path)
        {
            if (values.ValueKind != JsonValueKind.Array || values.GetArrayLength() == 0)
            {
                throw new InvalidJsonSchemaException("'enum' must be a non-empty array.", path);
            }

            var literals = new List<string>();
            int index = 0;
            foreach (var value in values.EnumerateArray())
            {
                string literal = JsonLiteral(value, path + "/" + index.ToString(CultureInfo.InvariantCulture));
                if (!literals.Contains(literal))
                {
                    literals.Add(literal);
                }

                index++;
            }

            return literals.Count == 1 ? literals[0] : "(" + string.Join(" | ", literals) + ")";
        }

        private string Alternatives(JsonElement schemas, string path, string name)
        {
            if (schemas.ValueKind != JsonValueKind.Array || schemas.GetArrayLength() == 0)
            {
                throw new InvalidJsonSchemaException("must be a non-empty array of schemas.", path);
            }

            var names = new List<string>();
            int index = 0;
            foreach (var schema in schemas.EnumerateArray())
            {
                string ruleName = Reserve(name + "-" + index.ToString(CultureInfo.InvariantCulture));
                string alternativePath = path + "/" + index.ToString(CultureInfo.InvariantCulture);
                AddRule(ruleName, () => Body(schema, alternativePath, ruleName));
                names.Add(ruleName);
                index++;
            }

            return names.Count == 1 ? names[0] : "(" + string.Join(" | ", names) + ")";
        }

        private string Reference(JsonElement reference, string path)
        {
            if (reference.ValueKind != JsonValueKind.String || reference.GetString() is not { } target || !target.StartsWith('#'))
            {
                throw new InvalidJsonSchemaException("only local '$ref's (starting with '#') are supported.", path + "/$ref");
            }

            if (_refRules.TryGetValue(target, out var existing))
            {
                return existing;
            }

            if (!_refsInProgress.Add(target))
            {
                throw new InvalidJsonSchemaException($"recursive '$ref' to '{target}' is not supported: it would make the output unbounded.", path + "/$ref");
            }

            var resolved = root;
            string lastSegment = "root";
            foreach (var rawSegment in target.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                string segment = Uri.UnescapeDataString(rawSegment).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                if (resolved.ValueKind != JsonValueKind.Object || !resolved.TryGetProperty(segment, out resolved))
                {
                    throw new InvalidJsonSchemaException($"'$ref' target '{target}' does not exist.", path + "/$ref");
                }

                lastSegment = segment;
            }

            string ruleName = Reserve("def-" + Sanitize(lastSegment));
            AddRule(ruleName, () => Body(resolved, target, ruleName));
            _refsInProgress.Remove(target);
            _refRules[target] = ruleName;
            return ruleName;
        }

        private static void CheckKeywords(JsonElement schema, string path)
        {
            foreach (var keyword in schema.EnumerateObject())
            {
                if (!ValidationKeywords.Contains(keyword.Name) && !Annotations.Contains(keyword.Name))
                {
                    throw new InvalidJsonSchemaException($"keyword '{keyword.Name}' is not supported by the GBNF compiler.", path);
                }
            }
        }

        private static (Bound? Low, Bound? High) Bounds(JsonElement schema, string path)
        {
            Bound? low = null;
            Bound? high = null;
            if (Number(schema, "minimum", path) is { } minimum)
            {
                low = new Bound(minimum, false);
            }

            if (Number(schema, "maximum", path) is { } maximum)
            {
                high = new Bound(maximum, false);
            }

            if (Number(schema, "exclusiveMinimum", path) is { } exclusiveMinimum && (low is null || exclusiveMinimum >= low.Value.Value))
            {
                low = new Bound(exclusiveMinimum, true);
            }

            if (Number(schema, "exclusiveMaximum", path) is { } exclusiveMaximum && (high is null || exclusiveMaximum <= high.Value.Value))
            {
                high = new Bound(exclusiveMaximum, true);
            }

            return (low, high);
        }

        private static decimal? Number(JsonElement schema, string keyword, string path)
        {
            if (!schema.TryGetProperty(keyword, out var value))
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number))
            {
                throw new InvalidJsonSchemaException($"'{keyword}' must be a number (draft-04 boolean exclusive bounds are not supported).", path + "/" + keyword);
            }

            return number;
        }

        private static int? NonNegativeInt(JsonElement schema, string keyword, string path)
        {
            if (!schema.TryGetProperty(keyword, out var value))
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int number) || number < 0)
            {
                throw new InvalidJsonSchemaException($"'{keyword}' must be a non-negative integer.", path + "/" + keyword);
            }

            return number;
        }

        private static string JsonLiteral(JsonElement value, string path) => value.ValueKind switch
        {
            JsonValueKind.String => Literal("\"" + JsonEncodedText.Encode(value.GetString()!, JsonTextEncoder).ToString() + "\""),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null => Literal(value.GetRawText()),
            _ => throw new InvalidJsonSchemaException("enum and const values must be strings, numbers, booleans or null.", path),
        };

        /// <summary>A GBNF string literal matching <paramref name="text"/> exactly.</summary>
        private static string Literal(string text)
        {
            var sb = new StringBuilder(text.Length + 2);
            sb.Append('"');
            foreach (char c in text)
            {
                switch (c)
                {
                    case '"':
                        sb.Append("\\\"");
                        break;
                    case '\\':
                        sb.Append("\\\\");
                        break;
                    case '\n':
                        sb.Append("\\n");
                        break;
                    case '\r':
                        sb.Append("\\r");
                        break;
                    case '\t':
                        sb.Append("\\t");
                        break;
                    case < ' ':
                        sb.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
                        break;
                    default:
                        sb.Append(c);
                        break;
                }
            }

            return sb.Append('"').ToString();
        }

        /// <summary><paramref name="element"/> repeated between <paramref name="min"/> and <paramref name="max"/> times.</summary>
        private static string Repeat(string element, int min, int max)
        {
            string item = element.Contains(' ', StringComparison.Ordinal) ? "(" + element + ")" : element;
            return (min, max) switch
            {
                (_, 0) => string.Empty,
                (1, 1) => element,
                (0, 1) => item + "?",
                _ when min == max => item + "{" + min.ToString(CultureInfo.InvariantCulture) + "}",
                _ => item + "{" + min.ToString(CultureInfo.InvariantCulture) + "," + max.ToString(CultureInfo.InvariantCulture) + "}",
            };
        }

        private static string Sanitize(string name)
        {
            var sb = new StringBuilder(name.Length);
            foreach (char c in name)
            {
                sb.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
            }

            string sanitized = sb.ToString().Trim('-');
            return sanitized.Length == 0 ? "p" : sanitized;
        }

        private static string EscapePointer(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

        private string Reserve(string name)
        {
            string candidate = name;
            for (int i = 2; !_names.Add(candidate); i++)
            {
                candidate = name + "-" + i.ToString(CultureInfo.InvariantCulture);
            }

            return candidate;
        }

        /// <summary>Adds a rule, keeping its place ahead of the rules its body creates (parents read first).</summary>
        private void AddRule(string name, Func<string> body)
        {
            int slot = _rules.Count;
            _rules.Add(new(name, string.Empty));
            _rules[slot] = new(name, body());
        }

        private void EnsureRule(string name, string body)
        {
            if (!_rules.Exists(r => r.Key == name))
            {
                _rules.Add(new(name, body));
            }
        }

        private readonly record struct Bound(decimal Value, bool Exclusive);
    }
}
