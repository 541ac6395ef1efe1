using System.Globalization;
using System.Text.RegularExpressions;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Cronos;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ChasiSre.Executor;

/// <summary>
/// Reads an <see cref="ActionPolicy"/> from YAML in the shape of the <c>ActionPolicy</c> custom resource
/// (<c>apiVersion: chasi.io/v1alpha1</c>, <c>kind: ActionPolicy</c>, <c>metadata.name</c>, <c>spec</c>).
/// Strict: unknown fields, unknown actions, layers, risks and decisions, bad durations, cron expressions, time
/// zones and local times that a DST change skips or repeats are errors. Every error is reported at once, each
/// with the file, line and column.
/// </summary>
public static partial class PolicyLoader
{
    public const string ApiVersion = "chasi.io/v1alpha1";
    public const string Kind = "ActionPolicy";
    public const long MaxFileBytes = 1024 * 1024;

    private static readonly string[] LocalFormats = ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd"];
    private static readonly string[] OffsetFormats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK"];

    /// <summary>Loads the policy in <paramref name="path"/>.</summary>
    /// <exception cref="PolicyValidationException">Lists every problem as file:line:column: reason.</exception>
    public static ActionPolicy Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var length = new FileInfo(full).Length;
        if (length > MaxFileBytes)
        {
            throw new PolicyValidationException([new PolicyError(full, 1, 1, $"the file is {length} bytes; a policy is limited to {MaxFileBytes} bytes")]);
        }

        return Parse(File.ReadAllText(full), full);
    }

    /// <summary>Parses <paramref name="yaml"/> as the content of <paramref name="file"/> (used in error messages and rule sources).</summary>
    /// <exception cref="PolicyValidationException">Lists every problem as file:line:column: reason.</exception>
    public static ActionPolicy Parse(string yaml, string file)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentException.ThrowIfNullOrWhiteSpace(file);
        var reader = new Reader(file);
        var policy = reader.Read(yaml);
        if (reader.Errors.Count > 0 || policy is null)
        {
            throw new PolicyValidationException(reader.Errors);
        }

        return policy;
    }

    [GeneratedRegex(@"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarkPrefix();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex NamePattern();

    private sealed class Reader(string file)
    {
        public List<PolicyError> Errors { get; } = [];

        public ActionPolicy? Read(string yaml)
        {
            YamlNode root;
            try
            {
                var stream = new YamlStream();
                stream.Load(new StringReader(yaml));
                if (stream.Documents.Count == 0)
                {
                    Error(Mark.Empty, "the file is empty");
                    return null;
                }

                if (stream.Documents.Count > 1)
                {
                    Error(stream.Documents[1].RootNode.Start, "the file holds more than one YAML document; one policy per file");
                    return null;
                }

                root = stream.Documents[0].RootNode;
            }
            catch (YamlException ex)
            {
                Error(ex.Start, "invalid YAML: " + MarkPrefix().Replace(ex.Message, ""));
                return null;
            }

            var top = Fields(root, "the policy", "apiVersion", "kind", "metadata", "spec");
            if (top is null)
            {
                return null;
            }

            Expect(top, root, "apiVersion", ApiVersion);
            Expect(top, root, "kind", Kind);
            var name = "";
            if (Required(top, root, "metadata") is { } metadataNode && Fields(metadataNode, "metadata", "name", "namespace", "labels", "annotations") is { } metadata)
            {
                name = Name(Required(metadata, metadataNode, "name")) ?? "";
            }

            if (Required(top, root, "spec") is not { } specNode || Fields(specNode, "spec", "defaults", "limits", "freezeWindows", "rules") is not { } spec)
            {
                return null;
            }

            var defaults = PolicyDefaults.Safe;
            if (spec.TryGetValue("defaults", out var defaultsNode) && Fields(defaultsNode, "defaults", "decision", "hostLayer") is { } d)
            {
                defaults = new PolicyDefaults
                {
                    Decision = d.TryGetValue("decision", out var decision) ? Decision(decision) ?? defaults.Decision : defaults.Decision,
                    HostLayer = d.TryGetValue("hostLayer", out var host) ? Decision(host) ?? defaults.HostLayer : defaults.HostLayer,
                };
            }

            var limits = spec.TryGetValue("limits", out var limitsNode) ? Limits(limitsNode) : BlastRadiusLimits.None;
            var windows = new List<FreezeWindow>();
            foreach (var item in Sequence(spec, "freezeWindows"))
            {
                if (Window(item) is { } window)
                {
                    Unique(windows.Select(w => w.Name), window.Name, item, "freeze window");
                    windows.Add(window);
                }
            }

            var rules = new List<PolicyRule>();
            foreach (var item in Sequence(spec, "rules"))
            {
                if (Rule(item) is { } rule)
                {
                    Unique(rules.Select(r => r.Name), rule.Name, item, "rule");
                    rules.Add(rule);
                }
            }

            return new ActionPolicy { Name = name, Defaults = defaults, Limits = limits ?? BlastRadiusLimits.None, FreezeWindows = windows, Rules = rules, Source = file };
        }

        private PolicyRule? Rule(YamlNode node)
        {
            if (Fields(node, "a rule", "name", "match", "decision", "limits") is not { } f)
            {
                return null;
            }

            var name = Name(Required(f, node, "name"));
            var decision = Required(f, node, "decision") is { } decisionNode ? Decision(decisionNode) : null;
            var match = f.TryGetValue("match", out var matchNode) ? Match(matchNode) : PolicyMatch.Any;
            var limits = f.TryGetValue("limits", out var limitsNode) ? Limits(limitsNode) : null;
            return name is null || decision is null || match is null
                ? null
                : new PolicyRule { Name = name, Match = match, Decision = decision.Value, Limits = limits, Source = Source(node) };
        }

        private FreezeWindow? Window(YamlNode node)
        {
            if (Fields(node, "a freeze window", "name", "schedule", "duration", "start", "end", "timeZone", "match", "decision") is not { } f)
            {
                return null;
            }

            var name = Name(Required(f, node, "name"));
            var zone = f.TryGetValue("timeZone", out var zoneNode) ? TimeZone(zoneNode) : TimeZoneInfo.Utc;
            var decision = f.TryGetValue("decision", out var decisionNode) ? Decision(decisionNode) : ActionDecision.Deny;
            if (decision == ActionDecision.Auto)
            {
                Error(decisionNode!, "a freeze window caps decisions at approval or deny; auto would change nothing");
                decision = null;
            }

            var match = f.TryGetValue("match", out var matchNode) ? Match(matchNode) : PolicyMatch.Any;
            var recurring = f.ContainsKey("schedule") || f.ContainsKey("duration");
            var absolute = f.ContainsKey("start") || f.ContainsKey("end");
            if (recurring == absolute)
            {
                Error(node, "a freeze window has either schedule and duration (recurring) or start and end (absolute)");
                return null;
            }

            CronExpression? schedule = null;
            TimeSpan? duration = null;
            DateTimeOffset? start = null;
            DateTimeOffset? end = null;
            if (recurring)
            {
                schedule = Required(f, node, "schedule") is { } scheduleNode ? Cron(scheduleNode) : null;
                duration = Required(f, node, "duration") is { } durationNode ? Duration(durationNode) : null;
            }
            else if (zone is not null)
            {
                start = Required(f, node, "start") is { } startNode ? Instant(startNode, zone) : null;
                end = Required(f, node, "end") is { } endNode ? Instant(endNode, zone) : null;
                if (start is { } s && end is { } e && e <= s)
                {
                    Error(f["end"], $"end ({e:O}) must be after start ({s:O})");
                    end = null;
                }
            }

            var complete = recurring ? schedule is not null && duration is not null : start is not null && end is not null;
            return name is null || zone is null || decision is null || match is null || !complete
                ? null
                : new FreezeWindow
                {
                    Name = name,
                    Schedule = schedule,
                    Duration = duration,
                    Start = start,
                    End = end,
                    TimeZone = zone,
                    Match = match,
                    Decision = decision.Value,
                    Source = Source(node),
                };
        }

        private PolicyMatch? Match(YamlNode node)
        {
            if (Fields(node, "match", "clusters", "tenants", "namespaces", "layers", "actions", "maxRisk") is not { } f)
            {
                return null;
            }

            var layers = new List<Layer>();
            foreach (var item in Sequence(f, "layers"))
            {
                if (Layer(item) is { } layer)
                {
                    layers.Add(layer);
                }
            }

            var actions = Strings(f, "actions");
            foreach (var (action, at) in actions.Where(a => !RemediationCatalog.All.Keys.Any(k => Glob.Matches(a.Value, k))))
            {
                Error(at, $"'{action}' matches no action of the catalog ({string.Join(", ", RemediationCatalog.All.Keys.Order(StringComparer.Ordinal))})");
            }

            return new PolicyMatch
            {
                Clusters = Strings(f, "clusters").Select(s => s.Value).ToList(),
                Tenants = Strings(f, "tenants").Select(s => s.Value).ToList(),
                Namespaces = Strings(f, "namespaces").Select(s => s.Value).ToList(),
                Layers = layers,
                Actions = actions.Select(s => s.Value).ToList(),
                MaxRisk = f.TryGetValue("maxRisk", out var riskNode) ? Risk(riskNode) : null,
            };
        }

        private BlastRadiusLimits? Limits(YamlNode node) =>
            Fields(node, "limits", "maxObjectsPerAction", "maxActionsPerTenantPerHour") is { } f
                ? new BlastRadiusLimits
                {
                    MaxObjectsPerAction = f.TryGetValue("maxObjectsPerAction", out var objects) ? Int(objects, 1) : null,
                    MaxActionsPerTenantPerHour = f.TryGetValue("maxActionsPerTenantPerHour", out var rate) ? Int(rate, 0) : null,
                }
                : null;

        private Dictionary<string, YamlNode>? Fields(YamlNode node, string what, params string[] allowed)
        {
            if (node is not YamlMappingNode mapping)
            {
                Error(node, $"{what} must be a mapping");
                return null;
            }

            var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (key, value) in mapping.Children)
            {
                var name = (key as YamlScalarNode)?.Value ?? "";
                if (!allowed.Contains(name))
                {
                    Error(key, $"unknown field '{name}' in {what} (expected one of: {string.Join(", ", allowed)})");
                }
                else if (!fields.TryAdd(name, value))
                {
                    Error(key, $"duplicate field '{name}' in {what}");
                }
            }

            return fields;
        }

        private YamlNode? Required(Dictionary<string, YamlNode> fields, YamlNode parent, string name)
        {
            if (fields.TryGetValue(name, out var node) && !IsNull(node))
            {
                return node;
            }

            Error(parent, $"'{name}' is required");
            return null;
        }

        private IEnumerable<YamlNode> Sequence(Dictionary<string, YamlNode> fields, string name)
        {
            if (!fields.TryGetValue(name, out var node) || IsNull(node))
            {
                return [];
            }

            if (node is YamlSequenceNode sequence)
            {
                return sequence.Children;
            }

            Error(node, $"'{name}' must be a list");
            return [];
        }

        private List<(string Value, YamlNode Node)> Strings(Dictionary<string, YamlNode> fields, string name)
        {
            var values = new List<(string, YamlNode)>();
            foreach (var item in Sequence(fields, name))
            {
                if (Scalar(item, $"an entry of '{name}'") is { } value)
                {
                    values.Add((value, item));
                }
            }

            return values;
        }

        private string? Scalar(YamlNode? node, string what)
        {
            if (node is YamlScalarNode { Value: { } value } && !IsNull(node))
            {
                return value;
            }

            if (node is not null)
            {
                Error(node, $"{what} must be a single value");
            }

            return null;
        }

        private string? Name(YamlNode? node)
        {
            var value = Scalar(node, "a name");
            if (value is not null && (value.Length > 253 || !NamePattern().IsMatch(value)))
            {
                Error(node!, $"'{value}' is not a valid name (lower case letters, digits and '-', at most 253)");
                return null;
            }

            return value;
        }

        private void Expect(Dictionary<string, YamlNode> fields, YamlNode parent, string name, string expected)
        {
            if (Scalar(Required(fields, parent, name), name) is { } value && value != expected)
            {
                Error(fields[name], $"{name} must be '{expected}' (got '{value}')");
            }
        }

        private void Unique(IEnumerable<string> existing, string name, YamlNode node, string what)
        {
            if (existing.Contains(name, StringComparer.Ordinal))
            {
                Error(node, $"duplicate {what} name '{name}'");
            }
        }

        private ActionDecision? Decision(YamlNode node) => Scalar(node, "a decision") switch
        {
            null => null,
            "auto" => ActionDecision.Auto,
            "approval" => ActionDecision.Approval,
            "deny" => ActionDecision.Deny,
            var other => Invalid<ActionDecision>(node, $"unknown decision '{other}' (auto, approval or deny)"),
        };

        private Risk? Risk(YamlNode node) => Scalar(node, "a risk") switch
        {
            null => null,
            "low" => Schemas.V1.Risk.Low,
            "medium" => Schemas.V1.Risk.Medium,
            "high" => Schemas.V1.Risk.High,
            var other => Invalid<Risk>(node, $"unknown risk '{other}' (low, medium or high)"),
        };

        private Layer? Layer(YamlNode node) => Scalar(node, "a layer") switch
        {
            null => null,
            "host" => Schemas.V1.Layer.Host,
            "virtual" or "tenant" => Schemas.V1.Layer.Virtual,
            "business" => Schemas.V1.Layer.Business,
            var other => Invalid<Layer>(node, $"unknown layer '{other}' (host, virtual — also written tenant — or business)"),
        };

        private int? Int(YamlNode node, int minimum)
        {
            var text = Scalar(node, "a number");
            if (text is null)
            {
                return null;
            }

            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < minimum)
            {
                Error(node, $"'{text}' must be a whole number of at least {minimum}");
                return null;
            }

            return value;
        }

        private TimeSpan? Duration(YamlNode node)
        {
            var text = Scalar(node, "a duration");
            if (text is null)
            {
                return null;
            }

            var match = DurationPattern().Match(text);
            if (text.Length == 0 || !match.Success)
            {
                Error(node, $"'{text}' is not a duration (such as 8h, 90m, 1h30m)");
                return null;
            }

            long Part(int group) => match.Groups[group].Success ? long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
            var duration = TimeSpan.FromHours(Part(1)) + TimeSpan.FromMinutes(Part(2)) + TimeSpan.FromSeconds(Part(3));
            if (duration <= TimeSpan.Zero || duration > TimeSpan.FromDays(366))
            {
                Error(node, $"'{text}' must be longer than zero and at most a year");
                return null;
            }

            return duration;
        }

        private CronExpression? Cron(YamlNode node)
        {
            var text = Scalar(node, "a cron schedule");
            if (text is null)
            {
                return null;
            }

            try
            {
                return CronExpression.Parse(text, CronFormat.Standard);
            }
            catch (CronFormatException ex)
            {
                Error(node, $"'{text}' is not a five-field cron schedule: {ex.Message}");
                return null;
            }
        }

        private TimeZoneInfo? TimeZone(YamlNode node)
        {
            var text = Scalar(node, "a time zone");
            if (text is null)
            {
                return null;
            }

            try
            {
                return TimeZoneInfo.FindSystemTimeZoneById(text);
            }
            catch (TimeZoneNotFoundException)
            {
                Error(node, $"unknown time zone '{text}' (an IANA name such as Europe/Berlin, or UTC)");
                return null;
            }
        }

        private DateTimeOffset? Instant(YamlNode node, TimeZoneInfo zone)
        {
            var text = Scalar(node, "a time");
            if (text is null)
            {
                return null;
            }

            if (DateTimeOffset.TryParseExact(text, OffsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var exact) && HasOffset(text))
            {
                return exact;
            }

            if (!DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                Error(node, $"'{text}' is not a time (2026-12-20T18:00, with an offset such as +01:00 or in the window's time zone)");
                return null;
            }

            if (zone.IsInvalidTime(local))
            {
                Error(node, $"{text} does not exist in {zone.Id} (clocks skip it for daylight saving time)");
                return null;
            }

            if (zone.IsAmbiguousTime(local))
            {
                Error(node, $"{text} happens twice in {zone.Id} (clocks repeat it when daylight saving time ends); write it with an offset");
                return null;
            }

            return new DateTimeOffset(local, zone.GetUtcOffset(local));
        }

        private static bool HasOffset(string text) => text.EndsWith('Z') || text.LastIndexOfAny(['+', '-']) > "yyyy-MM-dd".Length;

        private T? Invalid<T>(YamlNode node, string reason)
            where T : struct
        {
            Error(node, reason);
            return null;
        }

        private static bool IsNull(YamlNode node) =>
            node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

        private string Source(YamlNode node) => $"{Path.GetFileName(file)}:{node.Start.Line}";

        private void Error(YamlNode node, string reason) => Error(node.Start, reason);

        private void Error(Mark mark, string reason) =>
            Errors.Add(new PolicyError(file, Math.Max(1, checked((int)mark.Line)), Math.Max(1, checked((int)mark.Column)), reason));
    }
}
