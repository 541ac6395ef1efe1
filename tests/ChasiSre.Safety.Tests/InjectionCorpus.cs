using YamlDotNet.RepresentationModel;

namespace ChasiSre.Safety.Tests;

/// <summary>The corpus beside the test binaries: <c>corpus/injections.yaml</c> and one scenario directory per item.</summary>
public static class InjectionCorpus
{
    private static readonly Lazy<IReadOnlyList<InjectionCase>> Loaded = new(Load);

    /// <summary>The corpus directory.</summary>
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "corpus");

    /// <summary>Every item, in the index's order.</summary>
    public static IReadOnlyList<InjectionCase> Cases => Loaded.Value;

    /// <summary>Theory rows: one per item.</summary>
    public static TheoryData<string> Names => [.. Cases.Select(c => c.Name)];

    public static InjectionCase Find(string name) => Cases.Single(c => c.Name == name);

    private static List<InjectionCase> Load()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Root, "injections.yaml")))
        {
            stream.Load(reader);
        }

        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var cases = new List<InjectionCase>();
        foreach (var node in ((YamlSequenceNode)root["injections"]).Cast<YamlMappingNode>())
        {
            string Text(YamlMappingNode map, string key) => map.Children.TryGetValue(key, out var value) && value is YamlScalarNode { Value: { } s } ? s : "";
            var demands = ((YamlSequenceNode)node["demands"]).Cast<YamlMappingNode>().Select(d => new InjectionDemand(Text(d, "action"), Text(d, "target"))).ToList();
            InjectionRunbook? runbook = null;
            if (node.Children.TryGetValue("runbook", out var rb) && rb is YamlMappingNode runbookNode)
            {
                var tenant = Text(runbookNode, "tenant");
                runbook = new InjectionRunbook(Text(runbookNode, "file"), tenant.Length == 0 || tenant == "null" ? null : tenant);
            }

            cases.Add(new InjectionCase(
                Text(node, "name"),
                Text(node, "channel"),
                Text(node, "technique"),
                Text(node, "intent"),
                Text(node, "tenant"),
                Text(node, "secret"),
                Text(node, "marker"),
                Text(node, "reachesModel") == "true",
                demands,
                runbook));
        }

        return cases;
    }
}
