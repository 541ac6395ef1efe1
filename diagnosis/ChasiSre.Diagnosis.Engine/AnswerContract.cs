using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChasiSre.Diagnosis.Evidence;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Diagnosis.Engine;

/// <summary>
/// The answer a model must give for one evidence pack: a JSON schema whose enums are the pack's own ids (so a
/// grammar-constrained model cannot cite what is not there), and the check of an answer against it for providers that
/// do not enforce schemas. No object name appears in the schema — targets are pack ids too — because the schema, unlike
/// the messages, is not pseudonymised on its way to the provider.
/// </summary>
internal sealed class AnswerContract
{
    public const int MaxRootCauseChars = 300;
    public const int MaxStepChars = 200;
    public const int MaxEvidence = 6;
    public const int MaxSteps = 5;
    public const int MaxCitations = 3;
    public const int MaxActions = 2;

    private static readonly string[] Layers = ["host", "virtual", "business"];
    private static readonly string[] Risks = ["low", "medium", "high"];

    private readonly HashSet<string> evidenceIds;
    private readonly HashSet<string> knowledgeIds;
    private readonly Dictionary<string, ObjectRef> targets;

    public AnswerContract(EvidencePack pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        evidenceIds = new HashSet<string>(pack.Items.Where(i => i.Section != EvidenceSection.Knowledge).Select(i => i.Id), StringComparer.Ordinal);
        knowledgeIds = new HashSet<string>(pack.Items.Where(i => i.Section == EvidenceSection.Knowledge).Select(i => i.Id), StringComparer.Ordinal);
        targets = new Dictionary<string, ObjectRef>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // One id per object, the object's own item first ([obj:1] rather than the signal about it).
        foreach (var item in pack.Items.OrderBy(i => i.Section is EvidenceSection.Objects or EvidenceSection.Business ? 0 : 1))
        {
            if (item.Subject is { } subject && RemediationCatalog.All.Values.Any(a => a.TargetKinds.Contains(subject.Kind)) && seen.Add(Key(subject)))
            {
                targets[item.Id] = subject;
            }
        }

        Schema = BuildSchema();
    }

    /// <summary>The JSON schema of the answer.</summary>
    public JsonElement Schema { get; }

    /// <summary>Ids an action may target, with the object each stands for.</summary>
    public IReadOnlyDictionary<string, ObjectRef> Targets => targets;

    /// <summary>Reads a model's answer. Returns the answer, or null and what is wrong with it.</summary>
    public DiagnosisAnswer? Read(string text, out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        errors = problems;
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(StripFences(text));
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            problems.Add(text.Trim().Length == 0 ? "the answer is empty" : $"the answer is not JSON ({ex.Message})");
            return null;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            problems.Add("the answer must be one JSON object");
            return null;
        }

        var rootCause = String(root, "rootCause", problems, required: true, MaxRootCauseChars) ?? "";
        if (rootCause.Length > 0 && rootCause.Length < 10)
        {
            problems.Add("rootCause: say what the cause is in a sentence");
        }

        var layerName = String(root, "layer", problems, required: true, 20);
        var layer = layerName switch
        {
            "host" => Layer.Host,
            "virtual" => Layer.Virtual,
            "business" => Layer.Business,
            null => Layer.Unspecified,
            _ => Bad(problems, $"layer: '{layerName}' is not one of host, virtual, business", Layer.Unspecified),
        };

        double confidence = 0;
        if (!root.TryGetProperty("confidence", out var c) || c.ValueKind != JsonValueKind.Number || !c.TryGetDouble(out confidence) || double.IsNaN(confidence) || confidence is < 0 or > 1)
        {
            problems.Add("confidence: a number from 0 to 1 is required");
        }

        var evidence = Ids(root, "evidence", evidenceIds, problems, required: true, MaxEvidence);
        var steps = Strings(root, "remediation", problems, required: true, MaxSteps, MaxStepChars);
        var citations = Ids(root, "citations", knowledgeIds, problems, required: false, MaxCitations);
        var actions = Actions(root, problems);
        return problems.Count > 0 ? null : new DiagnosisAnswer(rootCause.Trim(), layer, Math.Round(confidence, 3), evidence, steps, citations, actions);
    }

    private static T Bad<T>(List<string> problems, string problem, T value)
    {
        problems.Add(problem);
        return value;
    }

    private JsonElement BuildSchema()
    {
        var properties = new JsonObject
        {
            ["rootCause"] = new JsonObject { ["type"] = "string", ["minLength"] = 10, ["maxLength"] = MaxRootCauseChars },
            ["layer"] = new JsonObject { ["type"] = "string", ["enum"] = Array(Layers) },
            ["confidence"] = new JsonObject { ["type"] = "number", ["minimum"] = 0, ["maximum"] = 1 },
            ["evidence"] = new JsonObject
            {
                ["type"] = "array",
                ["items"] = new JsonObject { ["type"] = "string", ["enum"] = Array(evidenceIds.Order(StringComparer.Ordinal)) },
                ["minItems"] = 1,
                ["maxItems"] = MaxEvidence,
            },
            ["remediation"] = new JsonObject
            {
                ["type"] = "array",
                ["items"] = new JsonObject { ["type"] = "string", ["minLength"] = 5, ["maxLength"] = MaxStepChars },
                ["minItems"] = 1,
                ["maxItems"] = MaxSteps,
            },
        };
        var required = new JsonArray("rootCause", "layer", "confidence", "evidence", "remediation");
        if (evidenceIds.Count == 0)
        {
            // Nothing to cite: an incident without any pack item (should not happen; the incident has signals).
            properties.Remove("evidence");
            required.RemoveAt(3);
        }

        if (knowledgeIds.Count > 0)
        {
            properties["citations"] = new JsonObject
            {
                ["type"] = "array",
                ["items"] = new JsonObject { ["type"] = "string", ["enum"] = Array(knowledgeIds.Order(StringComparer.Ordinal)) },
                ["maxItems"] = MaxCitations,
            };
        }

        var applicable = RemediationCatalog.All.Values.Where(a => targets.Values.Any(t => a.TargetKinds.Contains(t.Kind))).Select(a => a.Name).Order(StringComparer.Ordinal).ToList();
        if (applicable.Count > 0)
        {
            properties["actions"] = new JsonObject
            {
                ["type"] = "array",
                ["maxItems"] = MaxActions,
                ["items"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject
                    {
                        ["action"] = new JsonObject { ["type"] = "string", ["enum"] = Array(applicable) },
                        ["target"] = new JsonObject { ["type"] = "string", ["enum"] = Array(targets.Keys.Order(StringComparer.Ordinal)) },
                        ["parameters"] = new JsonObject
                        {
                            ["type"] = "array",
                            ["maxItems"] = 3,
                            ["items"] = new JsonObject
                            {
                                ["type"] = "object",
                                ["properties"] = new JsonObject
                                {
                                    ["name"] = new JsonObject { ["type"] = "string", ["maxLength"] = 40 },
                                    ["value"] = new JsonObject { ["type"] = "string", ["maxLength"] = 120 },
                                },
                                ["required"] = new JsonArray("name", "value"),
                            },
                        },
                        ["risk"] = new JsonObject { ["type"] = "string", ["enum"] = Array(Risks) },
                        ["reason"] = new JsonObject { ["type"] = "string", ["minLength"] = 5, ["maxLength"] = MaxStepChars },
                    },
                    ["required"] = new JsonArray("action", "target", "risk", "reason"),
                },
            };
        }

        var schema = new JsonObject { ["type"] = "object", ["properties"] = properties, ["required"] = required };
        return JsonSerializer.SerializeToElement(schema);
    }

    private static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);

    private List<ProposedAction> Actions(JsonElement root, List<string> problems)
    {
        var actions = new List<ProposedAction>();
        if (!root.TryGetProperty("actions", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return actions;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            problems.Add("actions: an array is required");
            return actions;
        }

        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var at = $"actions[{index++}]";
            if (index > MaxActions)
            {
                problems.Add($"actions: at most {MaxActions}");
                break;
            }

            if (element.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{at}: an object is required");
                continue;
            }

            var name = String(element, "action", problems, required: true, 40, at);
            var targetId = String(element, "target", problems, required: true, 20, at);
            var riskName = String(element, "risk", problems, required: true, 10, at);
            var reason = String(element, "reason", problems, required: true, MaxStepChars, at) ?? "";
            var action = RemediationCatalog.Find(name);
            if (name is not null && action is null)
            {
                problems.Add($"{at}.action: '{name}' is not in the catalog ({string.Join(", ", RemediationCatalog.All.Keys)})");
            }

            ObjectRef? target = null;
            if (targetId is not null && !targets.TryGetValue(targetId, out target))
            {
                problems.Add($"{at}.target: '{targetId}' is not an object id of the pack ({string.Join(", ", targets.Keys)})");
            }

            if (action is not null && target is not null && !action.TargetKinds.Contains(target.Kind))
            {
                problems.Add($"{at}: {action.Name} applies to {string.Join("/", action.TargetKinds)}, not a {target.Kind}");
            }

            var risk = riskName switch
            {
                "low" => Risk.Low,
                "medium" => Risk.Medium,
                "high" => Risk.High,
                null => Risk.Unspecified,
                _ => Bad(problems, $"{at}.risk: '{riskName}' is not one of low, medium, high", Risk.Unspecified),
            };
            var parameters = Parameters(element, action, at, problems);
            if (action is not null && target is not null && risk != Risk.Unspecified && reason.Length > 0)
            {
                // A model may call an action riskier than the catalog does, never safer.
                actions.Add(new ProposedAction(action, target, parameters, (Risk)Math.Max((int)risk, (int)action.MinimumRisk), reason.Trim()));
            }
        }

        return actions;
    }

    private static Dictionary<string, string> Parameters(JsonElement element, RemediationAction? action, string at, List<string> problems)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (element.TryGetProperty("parameters", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var p in array.EnumerateArray())
            {
                if (p.ValueKind == JsonValueKind.Object && p.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
                    && p.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String)
                {
                    parameters[n.GetString()!] = v.GetString()!;
                }
                else
                {
                    problems.Add($"{at}.parameters: each parameter is {{\"name\": string, \"value\": string}}");
                }
            }
        }

        if (action is null)
        {
            return parameters;
        }

        foreach (var name in parameters.Keys.Where(k => !action.Parameters.Contains(k)))
        {
            problems.Add($"{at}.parameters: {action.Name} takes no parameter '{name}'");
        }

        foreach (var name in action.Parameters.Where(p => !parameters.ContainsKey(p)))
        {
            problems.Add($"{at}.parameters: {action.Name} needs '{name}'");
        }

        if (action.Name == RemediationCatalog.Scale && parameters.TryGetValue("replicas", out var replicas)
            && !(int.TryParse(replicas, NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r is >= 0 and <= 1000))
        {
            problems.Add($"{at}.parameters: replicas must be a whole number from 0 to 1000");
        }

        return parameters;
    }

    private static string? String(JsonElement element, string name, List<string> problems, bool required, int maxChars, string? at = null)
    {
        var path = at is null ? name : $"{at}.{name}";
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                problems.Add($"{path}: required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add($"{path}: a string is required");
            return null;
        }

        var text = value.GetString()!;
        if (required && text.Trim().Length == 0)
        {
            problems.Add($"{path}: must not be blank");
            return null;
        }

        if (TooLong(text, maxChars))
        {
            problems.Add($"{path}: at most {maxChars} characters");
        }

        return text;
    }

    private static List<string> Strings(JsonElement root, string name, List<string> problems, bool required, int maxItems, int maxChars)
    {
        var values = new List<string>();
        if (!root.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            if (required)
            {
                problems.Add($"{name}: an array of strings is required");
            }

            return values;
        }

        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString()!.Trim().Length == 0)
            {
                problems.Add($"{name}: every item must be a non-blank string");
            }
            else if (TooLong(item.GetString()!, maxChars))
            {
                problems.Add($"{name}: each item at most {maxChars} characters");
            }
            else
            {
                values.Add(item.GetString()!.Trim());
            }
        }

        if (required && values.Count == 0)
        {
            problems.Add($"{name}: at least one item is required");
        }

        if (values.Count > maxItems)
        {
            problems.Add($"{name}: at most {maxItems} items");
        }

        return values;
    }

    private static List<string> Ids(JsonElement root, string name, HashSet<string> allowed, List<string> problems, bool required, int maxItems)
    {
        var ids = Strings(root, name, problems, required && allowed.Count > 0, maxItems, 20);
        var unknown = ids.Select(i => i.Trim('[', ']')).Where(i => !allowed.Contains(i)).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            problems.Add($"{name}: {string.Join(", ", unknown)} not in the evidence pack" + (allowed.Count > 0 ? $" (ids: {string.Join(", ", allowed.Order(StringComparer.Ordinal).Take(30))})" : ""));
        }

        return [.. ids.Select(i => i.Trim('[', ']')).Where(allowed.Contains).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Over the schema's limit. The schema counts characters (code points, as a grammar does), and the answer is read after
    /// the real names were put back for the tokens the model saw, which lengthens it: the limit here is twice the schema's.
    /// </summary>
    private static bool TooLong(string text, int maxChars) => text.Length > maxChars && text.EnumerateRunes().Count() > 2 * maxChars;

    /// <summary>The JSON inside a Markdown code fence, or the text itself: prompt-only providers like to fence.</summary>
    internal static string StripFences(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith("```", StringComparison.Ordinal))
        {
            return trimmed;
        }

        var start = trimmed.IndexOf('\n', StringComparison.Ordinal);
        var end = trimmed.LastIndexOf("```", StringComparison.Ordinal);
        return start > 0 && end > start ? trimmed[(start + 1)..end].Trim() : trimmed;
    }

    private static string Key(ObjectRef r) => $"{r.Cluster}\u001f{r.Kind}\u001f{r.Namespace}\u001f{r.Name}";
}
