using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ChasiSre.Ingest.Scenarios;

/// <summary>Reads and validates one scenario directory, collecting every error.</summary>
internal sealed partial class ScenarioReader
{
    public const string SupportedApiVersion = "chasi.io/scenario/v1";
    public const string MainFileName = "scenario.yaml";
    public const int MaxIncludedFiles = 256;
    private static readonly TimeSpan MaxOffset = TimeSpan.FromDays(366);

    private static readonly string[] TopKeys = ["apiVersion", "name", "description", "startTime", "clusters", "include", "steps", "expect"];
    private static readonly string[] ClusterKeys = ["name", "vcluster"];
    private static readonly string[] VClusterKeys = ["hostNamespace", "syncToHost", "noTwin"];
    private static readonly string[] ObjectKeyKeys = ["apiVersion", "kind", "namespace", "name"];
    private static readonly string[] IncludeFileKeys = ["include", "steps"];
    private static readonly string[] StepKeys = ["at", "cluster", "apply", "delete", "logs", "metrics", "business"];
    private static readonly string[] LogKeys = ["pod", "container", "previous", "lines"];
    private static readonly string[] MetricKeys = ["cluster", "name", "labels", "samples"];
    private static readonly string[] BusinessKeys = ["adapter", "tenant", "status", "events", "logs"];
    private static readonly string[] BusinessStatusKeys = ["healthy", "summary", "metrics"];
    private static readonly string[] BusinessEventKeys = ["type", "reason", "message", "at"];
    private static readonly string[] BusinessLogKeys = ["level", "message", "at"];
    private static readonly string[] ExpectKeys = ["incidents", "absent", "maxIncidents"];
    private static readonly string[] IncidentKeys = ["subject", "category", "layer", "evidence"];
    private static readonly string[] SubjectKeys = ["cluster", "kind", "namespace", "name"];

    private readonly string root;
    private readonly List<ScenarioError> errors = [];
    private readonly HashSet<string> loadedFiles = new(StringComparer.Ordinal);
    private readonly List<(ScenarioStep Step, int Order)> steps = [];
    private readonly Dictionary<string, ScenarioCluster> clusters = new(StringComparer.Ordinal);

    public ScenarioReader(string directory)
    {
        root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
    }

    public IReadOnlyList<ScenarioError> Errors => errors;

    public int FileCount => loadedFiles.Count;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$")]
    private static partial Regex Rfc3339();

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    public Scenario? Read()
    {
        var mainPath = Path.Combine(root, MainFileName);
        if (!Directory.Exists(root))
        {
            errors.Add(new ScenarioError(root, 1, 1, "scenario directory not found"));
            return null;
        }

        if (!File.Exists(mainPath))
        {
            errors.Add(new ScenarioError(mainPath, 1, 1, $"{MainFileName} not found in the scenario directory"));
            return null;
        }

        loadedFiles.Add(mainPath);
        var f = new YamlReadContext(mainPath, errors);
        var document = YamlDocumentLoader.Load(f);
        if (document is null)
        {
            return null;
        }

        var fields = Fields(f, document, "the scenario", TopKeys);
        if (fields is null)
        {
            return null;
        }

        var apiVersion = RequiredString(f, document, fields, "apiVersion", "the scenario");
        if (apiVersion is not null && apiVersion != SupportedApiVersion)
        {
            f.Error(fields["apiVersion"], $"unsupported apiVersion '{apiVersion}'; the supported version is {SupportedApiVersion}");
        }

        var name = RequiredString(f, document, fields, "name", "the scenario");
        if (name is not null && (!DnsLabel().IsMatch(name) || name.Length > 63))
        {
            f.Error(fields["name"], $"name '{name}' must be kebab-case: lowercase letters, digits and '-', at most 63 characters");
        }

        var description = OptionalString(f, fields, "description") ?? "";
        var startTime = ParseStartTime(f, document, fields);
        ParseClusters(f, fields.GetValueOrDefault("clusters"));

        var stack = new List<string> { mainPath };
        if (fields.TryGetValue("steps", out var stepsNode))
        {
            ParseSteps(f, stepsNode);
        }

        if (fields.TryGetValue("include", out var includeNode))
        {
            ParseIncludes(f, includeNode, stack);
        }

        var expect = fields.TryGetValue("expect", out var expectNode) ? ParseExpect(f, expectNode) : null;
        if (errors.Count > 0 || apiVersion is null || name is null || startTime is null)
        {
            return null;
        }

        var ordered = steps
            .OrderBy(s => s.Step.At)
            .ThenBy(s => s.Order)
            .Select(s => s.Step)
            .ToList();
        return new Scenario(name, description, startTime.Value, [.. clusters.Values], ordered, expect, root);
    }

    private static DateTimeOffset? ParseStartTime(YamlReadContext f, YamlNode document, Dictionary<string, YamlNode> fields)
    {
        var text = RequiredString(f, document, fields, "startTime", "the scenario");
        if (text is null)
        {
            return null;
        }

        if (Rfc3339().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value;
        }

        f.Error(fields["startTime"], $"startTime '{text}' is not an RFC 3339 timestamp (for example 2026-03-01T10:00:00Z)");
        return null;
    }

    private void ParseClusters(YamlReadContext f, YamlNode? node)
    {
        clusters[ScenarioCluster.HostName] = new ScenarioCluster(ScenarioCluster.HostName, null);
        if (node is null)
        {
            return;
        }

        var hostDeclared = false;
        foreach (var item in Sequence(f, node, "clusters"))
        {
            var fields = Fields(f, item, "a cluster", ClusterKeys);
            if (fields is null)
            {
                continue;
            }

            var name = RequiredString(f, item, fields, "name", "a cluster");
            if (name is null)
            {
                continue;
            }

            if (!DnsLabel().IsMatch(name) || name.Length > 63)
            {
                f.Error(fields["name"], $"cluster name '{name}' must be a DNS label (lowercase letters, digits, '-')");
                continue;
            }

            var isHost = name == ScenarioCluster.HostName;
            if ((isHost && hostDeclared) || (!isHost && clusters.ContainsKey(name)))
            {
                f.Error(fields["name"], $"cluster '{name}' is declared twice");
                continue;
            }

            if (isHost)
            {
                hostDeclared = true;
                if (fields.TryGetValue("vcluster", out var hostVCluster))
                {
                    f.Error(hostVCluster, "the host cluster cannot have a vcluster block");
                }

                continue;
            }

            if (!fields.TryGetValue("vcluster", out var vclusterNode))
            {
                f.Error(item, $"cluster '{name}' needs a vcluster block: every cluster but 'host' is a vCluster on it");
                continue;
            }

            var spec = ParseVCluster(f, vclusterNode);
            if (spec is not null)
            {
                clusters[name] = new ScenarioCluster(name, spec);
            }
        }
    }

    private static VClusterSpec? ParseVCluster(YamlReadContext f, YamlNode node)
    {
        var fields = Fields(f, node, "vcluster", VClusterKeys);
        if (fields is null)
        {
            return null;
        }

        var hostNamespace = RequiredString(f, node, fields, "hostNamespace", "vcluster");
        if (hostNamespace is not null && (!DnsLabel().IsMatch(hostNamespace) || hostNamespace.Length > 63))
        {
            f.Error(fields["hostNamespace"], $"hostNamespace '{hostNamespace}' must be a DNS label");
            hostNamespace = null;
        }

        var sync = OptionalBool(f, fields, "syncToHost") ?? true;
        var noTwin = new List<ObjectKey>();
        if (fields.TryGetValue("noTwin", out var noTwinNode))
        {
            foreach (var item in Sequence(f, noTwinNode, "noTwin"))
            {
                var key = ParseObjectKey(f, item, "a noTwin entry", apiVersionRequired: false);
                if (key is null)
                {
                    continue;
                }

                if (!VClusterNaming.SyncedKinds.Contains(key.Kind))
                {
                    f.Error(item, $"noTwin lists a {key.Kind}, which the syncer never puts on the host (synced kinds: {string.Join(", ", VClusterNaming.SyncedKinds)})");
                }
                else if (key.Namespace is null)
                {
                    f.Error(item, "a noTwin entry needs the virtual namespace");
                }
                else
                {
                    noTwin.Add(key);
                }
            }
        }

        return hostNamespace is null ? null : new VClusterSpec(hostNamespace, sync, noTwin);
    }

    private void ParseIncludes(YamlReadContext f, YamlNode node, List<string> stack)
    {
        foreach (var item in Sequence(f, node, "include"))
        {
            if (item is not YamlScalarNode scalar || string.IsNullOrWhiteSpace(scalar.Value))
            {
                f.Error(item, "an include entry must be a relative file path");
                continue;
            }

            var relative = scalar.Value;
            if (Path.IsPathRooted(relative))
            {
                f.Error(item, $"include '{relative}' must be relative to the scenario directory");
                continue;
            }

            var full = Path.GetFullPath(Path.Combine(root, relative));
            if (!IsInsideRoot(full))
            {
                f.Error(item, $"include '{relative}' escapes the scenario directory");
                continue;
            }

            if (!File.Exists(full))
            {
                f.Error(item, $"include '{relative}' not found");
                continue;
            }

            var target = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true);
            if (target is not null && !IsInsideRoot(Path.GetFullPath(target.FullName)))
            {
                f.Error(item, $"include '{relative}' is a link to a file outside the scenario directory");
                continue;
            }

            if (stack.Contains(full, StringComparer.Ordinal))
            {
                var cycle = stack.SkipWhile(p => p != full).Append(full).Select(p => Path.GetRelativePath(root, p));
                f.Error(item, $"include cycle: {string.Join(" -> ", cycle)}");
                continue;
            }

            if (!loadedFiles.Add(full))
            {
                f.Error(item, $"'{relative}' is included more than once");
                continue;
            }

            if (loadedFiles.Count > MaxIncludedFiles + 1)
            {
                f.Error(item, $"more than {MaxIncludedFiles} included files");
                return;
            }

            stack.Add(full);
            ReadInclude(full, stack);
            stack.RemoveAt(stack.Count - 1);
        }
    }

    private void ReadInclude(string path, List<string> stack)
    {
        var f = new YamlReadContext(path, errors);
        var document = YamlDocumentLoader.Load(f);
        switch (document)
        {
            case null:
                return;
            case YamlSequenceNode:
                ParseSteps(f, document);
                return;
            case YamlMappingNode:
                var fields = Fields(f, document, "an included file", IncludeFileKeys);
                if (fields is null)
                {
                    return;
                }

                if (fields.TryGetValue("steps", out var stepsNode))
                {
                    ParseSteps(f, stepsNode);
                }

                if (fields.TryGetValue("include", out var includeNode))
                {
                    ParseIncludes(f, includeNode, stack);
                }

                return;
            default:
                f.Error(document, "an included file must be a list of steps (or a mapping with 'steps' and 'include')");
                return;
        }
    }

    private bool IsInsideRoot(string full) =>
        full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private void ParseSteps(YamlReadContext f, YamlNode node)
    {
        foreach (var item in Sequence(f, node, "steps"))
        {
            var step = ParseStep(f, item);
            if (step is not null)
            {
                steps.Add((step, steps.Count));
            }
        }
    }

    private ScenarioStep? ParseStep(YamlReadContext f, YamlNode node)
    {
        var fields = Fields(f, node, "a step", StepKeys);
        if (fields is null)
        {
            return null;
        }

        var at = RequiredOffset(f, node, fields, "at", "a step");
        string? cluster = null;
        if (fields.TryGetValue("cluster", out var clusterNode))
        {
            cluster = DeclaredCluster(f, clusterNode);
        }
        else if (fields.ContainsKey("apply") || fields.ContainsKey("delete") || fields.ContainsKey("logs"))
        {
            f.Error(node, "a step with apply, delete or logs needs 'cluster'");
        }

        var apply = new List<JsonObject>();
        if (fields.TryGetValue("apply", out var applyNode))
        {
            foreach (var item in Sequence(f, applyNode, "apply"))
            {
                if (ParseKubernetesObject(f, item) is { } obj)
                {
                    apply.Add(obj);
                }
            }
        }

        var delete = new List<ObjectKey>();
        if (fields.TryGetValue("delete", out var deleteNode))
        {
            foreach (var item in Sequence(f, deleteNode, "delete"))
            {
                if (ParseObjectKey(f, item, "a delete entry", apiVersionRequired: true) is { } key)
                {
                    delete.Add(key);
                }
            }
        }

        var logs = new List<ScenarioPodLogs>();
        if (fields.TryGetValue("logs", out var logsNode))
        {
            foreach (var item in Sequence(f, logsNode, "logs"))
            {
                if (ParseLogs(f, item) is { } entry)
                {
                    logs.Add(entry);
                }
            }
        }

        var metrics = new List<ScenarioMetricSeries>();
        if (fields.TryGetValue("metrics", out var metricsNode))
        {
            foreach (var item in Sequence(f, metricsNode, "metrics"))
            {
                if (ParseMetric(f, item) is { } series)
                {
                    metrics.Add(series);
                }
            }
        }

        var business = new List<ScenarioBusinessEntry>();
        if (fields.TryGetValue("business", out var businessNode))
        {
            foreach (var item in Sequence(f, businessNode, "business"))
            {
                if (ParseBusiness(f, item, at ?? TimeSpan.Zero) is { } entry)
                {
                    business.Add(entry);
                }
            }
        }

        return at is null
            ? null
            : new ScenarioStep(at.Value, cluster, apply, delete, logs, metrics, business, Source(f, node));
    }

    private JsonObject? ParseKubernetesObject(YamlReadContext f, YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            f.Error(node, "an applied object must be a mapping (a full Kubernetes object)");
            return null;
        }

        var before = errors.Count;
        if (f.ToJson(map) is not JsonObject obj || errors.Count > before)
        {
            return null;
        }

        var ok = RequireObjectString(f, map, obj, "apiVersion");
        ok &= RequireObjectString(f, map, obj, "kind");
        var metadataNode = Child(map, "metadata");
        if (obj["metadata"] is not JsonObject metadata || metadataNode is null)
        {
            f.Error(metadataNode ?? node, "an applied object needs metadata.name");
            return null;
        }

        if (metadata["name"] is not JsonValue nameValue || !nameValue.TryGetValue<string>(out var name) || name.Length == 0)
        {
            f.Error(Child((YamlMappingNode)metadataNode, "name") ?? metadataNode, "an applied object needs metadata.name (a non-empty string)");
            ok = false;
        }

        if (metadata["namespace"] is { } ns && (ns is not JsonValue nsValue || !nsValue.TryGetValue<string>(out var nsText) || nsText.Length == 0))
        {
            f.Error(Child((YamlMappingNode)metadataNode, "namespace") ?? metadataNode, "metadata.namespace must be a non-empty string");
            ok = false;
        }

        return ok ? obj : null;
    }

    private static bool RequireObjectString(YamlReadContext f, YamlMappingNode map, JsonObject obj, string key)
    {
        if (obj[key] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0)
        {
            return true;
        }

        f.Error(Child(map, key) ?? map, $"an applied object needs {key} (a non-empty string)");
        return false;
    }

    private static ObjectKey? ParseObjectKey(YamlReadContext f, YamlNode node, string what, bool apiVersionRequired)
    {
        var fields = Fields(f, node, what, ObjectKeyKeys);
        if (fields is null)
        {
            return null;
        }

        var apiVersion = apiVersionRequired
            ? RequiredString(f, node, fields, "apiVersion", what)
            : OptionalString(f, fields, "apiVersion");
        var kind = RequiredString(f, node, fields, "kind", what);
        var ns = OptionalString(f, fields, "namespace");
        var name = RequiredString(f, node, fields, "name", what);
        return kind is null || name is null || (apiVersionRequired && apiVersion is null)
            ? null
            : new ObjectKey(apiVersion, kind, ns, name);
    }

    private static ScenarioPodLogs? ParseLogs(YamlReadContext f, YamlNode node)
    {
        var fields = Fields(f, node, "a logs entry", LogKeys);
        if (fields is null)
        {
            return null;
        }

        var pod = RequiredString(f, node, fields, "pod", "a logs entry");
        string? ns = null;
        string? podName = null;
        if (pod is not null)
        {
            var parts = pod.Split('/');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                f.Error(fields["pod"], $"pod '{pod}' must be namespace/name");
            }
            else
            {
                (ns, podName) = (parts[0], parts[1]);
            }
        }

        var container = RequiredString(f, node, fields, "container", "a logs entry");
        var previous = OptionalBool(f, fields, "previous") ?? false;
        var lines = new List<string>();
        if (!fields.TryGetValue("lines", out var linesNode))
        {
            f.Error(node, "a logs entry needs 'lines'");
        }
        else
        {
            foreach (var line in Sequence(f, linesNode, "lines"))
            {
                if (line is YamlScalarNode scalar)
                {
                    lines.Add(scalar.Value ?? "");
                }
                else
                {
                    f.Error(line, "a log line must be a scalar");
                }
            }
        }

        return ns is null || podName is null || container is null
            ? null
            : new ScenarioPodLogs(ns, podName, container, previous, lines);
    }

    private ScenarioMetricSeries? ParseMetric(YamlReadContext f, YamlNode node)
    {
        var fields = Fields(f, node, "a metrics entry", MetricKeys);
        if (fields is null)
        {
            return null;
        }

        string? cluster = null;
        if (fields.TryGetValue("cluster", out var clusterNode))
        {
            cluster = DeclaredCluster(f, clusterNode);
        }
        else
        {
            f.Error(node, "a metrics entry needs 'cluster'");
        }

        var name = RequiredString(f, node, fields, "name", "a metrics entry");
        if (name is not null && !MetricName().IsMatch(name))
        {
            f.Error(fields["name"], $"metric name '{name}' is not a Prometheus metric name");
        }

        var labels = fields.TryGetValue("labels", out var labelsNode) ? StringMap(f, labelsNode, "labels") : [];
        var samples = new List<ScenarioSample>();
        if (!fields.TryGetValue("samples", out var samplesNode))
        {
            f.Error(node, "a metrics entry needs 'samples'");
        }
        else
        {
            foreach (var sample in Sequence(f, samplesNode, "samples"))
            {
                if (sample is not YamlSequenceNode pair || pair.Children.Count != 2)
                {
                    f.Error(sample, "a sample must be a [seconds, value] pair");
                    continue;
                }

                var seconds = FiniteNumber(f, pair.Children[0], "a sample's seconds");
                var value = FiniteNumber(f, pair.Children[1], "a sample's value");
                if (seconds is not null && Math.Abs(seconds.Value) > MaxOffset.TotalSeconds)
                {
                    f.Error(pair.Children[0], $"a sample's seconds must be within {MaxOffset.TotalSeconds} of the start");
                }
                else if (seconds is not null && value is not null)
                {
                    samples.Add(new ScenarioSample(TimeSpan.FromSeconds(seconds.Value), value.Value));
                }
            }
        }

        return cluster is null || name is null ? null : new ScenarioMetricSeries(cluster, name, labels, samples);
    }

    private static ScenarioBusinessEntry? ParseBusiness(YamlReadContext f, YamlNode node, TimeSpan stepAt)
    {
        var fields = Fields(f, node, "a business entry", BusinessKeys);
        if (fields is null)
        {
            return null;
        }

        var adapter = RequiredString(f, node, fields, "adapter", "a business entry");
        var tenant = RequiredString(f, node, fields, "tenant", "a business entry");
        BusinessStatus? status = null;
        if (fields.TryGetValue("status", out var statusNode) && Fields(f, statusNode, "a business status", BusinessStatusKeys) is { } statusFields)
        {
            var healthy = OptionalBool(f, statusFields, "healthy");
            if (healthy is null && !statusFields.ContainsKey("healthy"))
            {
                f.Error(statusNode, "a business status needs 'healthy'");
            }

            var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            if (statusFields.TryGetValue("metrics", out var metricsNode) && metricsNode is YamlMappingNode metricsMap)
            {
                foreach (var (key, value) in metricsMap.Children)
                {
                    if (key is YamlScalarNode { Value: { Length: > 0 } metricKey } && FiniteNumber(f, value, $"business metric '{metricKey}'") is { } number)
                    {
                        metrics[metricKey] = number;
                    }
                    else if (key is not YamlScalarNode)
                    {
                        f.Error(key, "business metric names must be strings");
                    }
                }
            }
            else if (metricsNode is not null)
            {
                f.Error(metricsNode, "a business status's metrics must be a mapping of name to number");
            }

            status = new BusinessStatus(healthy ?? false, OptionalString(f, statusFields, "summary"), metrics);
        }

        var events = new List<BusinessEvent>();
        if (fields.TryGetValue("events", out var eventsNode))
        {
            foreach (var item in Sequence(f, eventsNode, "business events"))
            {
                var e = Fields(f, item, "a business event", BusinessEventKeys);
                if (e is null)
                {
                    continue;
                }

                var type = RequiredString(f, item, e, "type", "a business event");
                var reason = RequiredString(f, item, e, "reason", "a business event");
                var message = RequiredString(f, item, e, "message", "a business event");
                var at = e.ContainsKey("at") ? RequiredOffset(f, item, e, "at", "a business event") : stepAt;
                if (type is not null && reason is not null && message is not null && at is not null)
                {
                    events.Add(new BusinessEvent(type, reason, message, at.Value));
                }
            }
        }

        var logs = new List<BusinessLog>();
        if (fields.TryGetValue("logs", out var logsNode))
        {
            foreach (var item in Sequence(f, logsNode, "business logs"))
            {
                var l = Fields(f, item, "a business log", BusinessLogKeys);
                if (l is null)
                {
                    continue;
                }

                var level = RequiredString(f, item, l, "level", "a business log");
                var message = RequiredString(f, item, l, "message", "a business log");
                var at = l.ContainsKey("at") ? RequiredOffset(f, item, l, "at", "a business log") : stepAt;
                if (level is not null && message is not null && at is not null)
                {
                    logs.Add(new BusinessLog(level, message, at.Value));
                }
            }
        }

        return adapter is null || tenant is null ? null : new ScenarioBusinessEntry(adapter, tenant, status, events, logs);
    }

    private ScenarioExpectations? ParseExpect(YamlReadContext f, YamlNode node)
    {
        var fields = Fields(f, node, "expect", ExpectKeys);
        if (fields is null)
        {
            return null;
        }

        var incidents = new List<ExpectedIncident>();
        if (fields.TryGetValue("incidents", out var incidentsNode))
        {
            foreach (var item in Sequence(f, incidentsNode, "expect.incidents"))
            {
                var i = Fields(f, item, "an expected incident", IncidentKeys);
                if (i is null)
                {
                    continue;
                }

                SubjectKey? subject = null;
                if (i.TryGetValue("subject", out var subjectNode))
                {
                    subject = ParseSubject(f, subjectNode);
                }
                else
                {
                    f.Error(item, "an expected incident needs 'subject'");
                }

                var category = RequiredString(f, item, i, "category", "an expected incident");
                if (category is not null && !IncidentCategories.IsKnown(category))
                {
                    f.Error(i["category"], $"unknown category '{category}'{Suggest(category, IncidentCategories.All)}; categories: {string.Join(", ", IncidentCategories.All)}");
                    category = null;
                }

                var layerText = RequiredString(f, item, i, "layer", "an expected incident");
                IncidentLayer? layer = layerText switch
                {
                    "host" => IncidentLayer.Host,
                    "virtual" => IncidentLayer.Virtual,
                    "business" => IncidentLayer.Business,
                    _ => null,
                };
                if (layerText is not null && layer is null)
                {
                    f.Error(i["layer"], $"layer '{layerText}' must be host, virtual or business");
                }

                var evidence = new List<string>();
                if (i.TryGetValue("evidence", out var evidenceNode))
                {
                    foreach (var text in Sequence(f, evidenceNode, "evidence"))
                    {
                        if (text is YamlScalarNode { Value: { Length: > 0 } value })
                        {
                            evidence.Add(value);
                        }
                        else
                        {
                            f.Error(text, "evidence entries must be non-empty strings");
                        }
                    }
                }

                if (subject is not null && category is not null && layer is not null)
                {
                    incidents.Add(new ExpectedIncident(subject, category, layer.Value, evidence));
                }
            }
        }

        var absent = new List<SubjectKey>();
        if (fields.TryGetValue("absent", out var absentNode))
        {
            foreach (var item in Sequence(f, absentNode, "expect.absent"))
            {
                if (ParseSubject(f, item) is { } subject)
                {
                    absent.Add(subject);
                }
            }
        }

        int? maxIncidents = null;
        if (fields.TryGetValue("maxIncidents", out var maxNode))
        {
            if (maxNode is YamlScalarNode scalar && YamlScalars.TryResolve(scalar, out var value) is null
                && value.Kind == YamlScalarKind.Int && value.Number is >= 0 and <= int.MaxValue)
            {
                maxIncidents = (int)value.Number;
            }
            else
            {
                f.Error(maxNode, "maxIncidents must be a non-negative integer");
            }
        }

        return new ScenarioExpectations(incidents, absent, maxIncidents);
    }

    private SubjectKey? ParseSubject(YamlReadContext f, YamlNode node)
    {
        var fields = Fields(f, node, "a subject", SubjectKeys);
        if (fields is null)
        {
            return null;
        }

        var cluster = RequiredString(f, node, fields, "cluster", "a subject");
        var kind = RequiredString(f, node, fields, "kind", "a subject");
        var ns = OptionalString(f, fields, "namespace");
        var name = RequiredString(f, node, fields, "name", "a subject");
        if (cluster is null || kind is null || name is null)
        {
            return null;
        }

        if (kind != "BusinessAdapter" && !clusters.ContainsKey(cluster))
        {
            f.Error(fields["cluster"], $"subject cluster '{cluster}' is not declared (declared: {string.Join(", ", clusters.Keys)})");
            return null;
        }

        if (ns is not null && kind is "Node" or "Namespace" or "BusinessAdapter" or "PersistentVolume" or "StorageClass")
        {
            f.Error(fields["namespace"], $"a {kind} subject has no namespace");
            return null;
        }

        return new SubjectKey(cluster, kind, ns, name);
    }

    private string? DeclaredCluster(YamlReadContext f, YamlNode node)
    {
        if (node is not YamlScalarNode { Value: { Length: > 0 } name })
        {
            f.Error(node, "cluster must be a cluster name");
            return null;
        }

        if (clusters.ContainsKey(name))
        {
            return name;
        }

        f.Error(node, $"cluster '{name}' is not declared{Suggest(name, clusters.Keys)} (declared: {string.Join(", ", clusters.Keys)})");
        return null;
    }

    private static Dictionary<string, string> StringMap(YamlReadContext f, YamlNode node, string what)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is not YamlMappingNode mapping)
        {
            f.Error(node, $"{what} must be a mapping of strings");
            return map;
        }

        foreach (var (key, value) in mapping.Children)
        {
            if (key is YamlScalarNode { Value: { Length: > 0 } k } && value is YamlScalarNode v)
            {
                map[k] = v.Value ?? "";
            }
            else
            {
                f.Error(key, $"{what} must map strings to strings");
            }
        }

        return map;
    }

    private static TimeSpan? RequiredOffset(YamlReadContext f, YamlNode owner, Dictionary<string, YamlNode> fields, string key, string what)
    {
        if (!fields.TryGetValue(key, out var node))
        {
            f.Error(owner, $"{what} needs '{key}' (seconds from startTime)");
            return null;
        }

        var seconds = FiniteNumber(f, node, $"'{key}'");
        if (seconds is null)
        {
            return null;
        }

        if (seconds.Value < 0 || seconds.Value > MaxOffset.TotalSeconds)
        {
            f.Error(node, $"'{key}' must be between 0 and {MaxOffset.TotalSeconds} seconds, got {seconds.Value.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }

        return TimeSpan.FromSeconds(seconds.Value);
    }

    private static double? FiniteNumber(YamlReadContext f, YamlNode node, string what)
    {
        if (node is not YamlScalarNode scalar)
        {
            f.Error(node, $"{what} must be a number");
            return null;
        }

        var tagError = YamlScalars.TryResolve(scalar, out var value);
        if (tagError is not null)
        {
            f.Error(node, tagError);
            return null;
        }

        if (value.Kind is not (YamlScalarKind.Int or YamlScalarKind.Float))
        {
            f.Error(node, $"{what} must be a number, got '{value.Text}'{(value.Kind == YamlScalarKind.String && scalar.Style is not YamlDotNet.Core.ScalarStyle.Plain ? " (a quoted string)" : "")}");
            return null;
        }

        if (!value.IsFiniteNumber)
        {
            f.Error(node, $"{what} must be a finite number, got '{value.Text}'");
            return null;
        }

        return value.Number;
    }

    private static string? RequiredString(YamlReadContext f, YamlNode owner, Dictionary<string, YamlNode> fields, string key, string what)
    {
        if (!fields.TryGetValue(key, out var node))
        {
            f.Error(owner, $"{what} needs '{key}'");
            return null;
        }

        return StringValue(f, node, key);
    }

    private static string? OptionalString(YamlReadContext f, Dictionary<string, YamlNode> fields, string key) =>
        fields.TryGetValue(key, out var node) ? StringValue(f, node, key) : null;

    private static string? StringValue(YamlReadContext f, YamlNode node, string key)
    {
        if (node is not YamlScalarNode scalar)
        {
            f.Error(node, $"'{key}' must be a string");
            return null;
        }

        var tagError = YamlScalars.TryResolve(scalar, out var value);
        if (tagError is not null)
        {
            f.Error(node, tagError);
            return null;
        }

        if (value.Kind == YamlScalarKind.Null || value.Text.Length == 0)
        {
            f.Error(node, $"'{key}' must not be empty");
            return null;
        }

        return value.Text;
    }

    private static bool? OptionalBool(YamlReadContext f, Dictionary<string, YamlNode> fields, string key)
    {
        if (!fields.TryGetValue(key, out var node))
        {
            return null;
        }

        if (node is YamlScalarNode scalar && YamlScalars.TryResolve(scalar, out var value) is null && value.Kind == YamlScalarKind.Bool)
        {
            return value.Bool;
        }

        f.Error(node, $"'{key}' must be true or false");
        return null;
    }

    private static IEnumerable<YamlNode> Sequence(YamlReadContext f, YamlNode node, string what)
    {
        if (node is YamlScalarNode scalar && YamlScalars.TryResolve(scalar, out var value) is null && value.Kind == YamlScalarKind.Null)
        {
            yield break;
        }

        if (node is not YamlSequenceNode sequence)
        {
            f.Error(node, $"{what} must be a list");
            yield break;
        }

        foreach (var child in sequence.Children)
        {
            if (!f.Charge(child))
            {
                yield break;
            }

            yield return child;
        }
    }

    /// <summary>The fields of a schema mapping; every key outside <paramref name="allowed"/> is an error.</summary>
    private static Dictionary<string, YamlNode>? Fields(YamlReadContext f, YamlNode node, string what, string[] allowed)
    {
        if (!f.Charge(node))
        {
            return null;
        }

        if (node is not YamlMappingNode mapping)
        {
            f.Error(node, $"{what} must be a mapping");
            return null;
        }

        var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                f.Error(key, "keys must be strings");
                continue;
            }

            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                f.Error(key, $"unknown key '{name}' in {what}{Suggest(name, allowed)}; allowed: {string.Join(", ", allowed)}");
                continue;
            }

            fields[name] = value;
        }

        return fields;
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static ScenarioSource Source(YamlReadContext f, YamlNode node) =>
        new(f.File, checked((int)node.Start.Line), checked((int)node.Start.Column));

    /// <summary>" (did you mean 'x'?)" for a near miss (edit distance at most 2), else "".</summary>
    internal static string Suggest(string given, IEnumerable<string> candidates)
    {
        var best = candidates
            .Select(c => (Candidate: c, Distance: EditDistance(given.ToLowerInvariant(), c.ToLowerInvariant())))
            .Where(c => c.Distance <= 2)
            .OrderBy(c => c.Distance)
            .Select(c => c.Candidate)
            .FirstOrDefault();
        return best is null ? "" : $" (did you mean '{best}'?)";
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
