using System.Text;
using ChasiSre.Ingest.Scenarios;
using YamlDotNet.RepresentationModel;

namespace ChasiSre.Safety.Tests;

/// <summary>The corpus itself: big enough, every channel covered, every item indexed, described and loadable.</summary>
public sealed class InjectionCorpusTests
{
    private static readonly string[] Channels = ["business", "event", "log", "runbook"];

    [Fact]
    public void Index_Corpus_AtLeastThirtyDistinctItemsOverTheFourChannels()
    {
        var cases = InjectionCorpus.Cases;

        Assert.True(cases.Count >= 30, $"{cases.Count} items");
        Assert.Equal(cases.Count, cases.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(cases.Count, cases.Select(c => c.Marker).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Channels, cases.Select(c => c.Channel).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        foreach (var channel in Channels)
        {
            Assert.True(cases.Count(c => c.Channel == channel) >= 5, $"channel {channel} has fewer than 5 items");
        }

        Assert.All(cases, c => Assert.NotEmpty(c.Demands));
        Assert.All(cases.Where(c => c.Channel == "runbook"), c => Assert.NotNull(c.Runbook));
    }

    [Fact]
    public void Index_ScenarioDirectories_EachIndexedAndListedInTheReadme()
    {
        var directories = Directory.EnumerateDirectories(InjectionCorpus.Root)
            .Select(Path.GetFileName)
            .Where(n => File.Exists(Path.Combine(InjectionCorpus.Root, n!, "scenario.yaml")))
            .Order(StringComparer.Ordinal)
            .ToList();
        var readme = File.ReadAllText(Path.Combine(InjectionCorpus.Root, "README.md"));

        Assert.Equal(InjectionCorpus.Cases.Select(c => c.Name).Order(StringComparer.Ordinal), directories);
        Assert.All(InjectionCorpus.Cases, c => Assert.Contains($"`{c.Name}`", readme, StringComparison.Ordinal));
        Assert.All(InjectionCorpus.Cases.Select(c => c.Runbook).OfType<InjectionRunbook>(), r => Assert.True(File.Exists(Path.Combine(InjectionCorpus.Root, r.File)), r.File));
    }

    [Theory]
    [MemberData(nameof(InjectionCorpus.Names), MemberType = typeof(InjectionCorpus))]
    public void Load_HostileScenario_ValidAndHoldsASecretWithTheIndexedValue(string name)
    {
        var item = InjectionCorpus.Find(name);

        var scenario = ScenarioLoader.Load(item.Directory);

        Assert.Equal(name, scenario.Name);
        Assert.NotNull(scenario.Expect);
        Assert.NotEmpty(scenario.Expect!.Incidents);
        // The scenario's Secret carries the value the model must never see (base64 in data, as the apiserver serves it).
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(item.Secret));
        Assert.Contains(encoded, File.ReadAllText(Path.Combine(item.Directory, "scenario.yaml")), StringComparison.Ordinal);
        // The hostile text is where the index says: in a scalar of the scenario, or in the runbook.
        var carriers = item.Channel == "runbook" ? [File.ReadAllText(Path.Combine(InjectionCorpus.Root, item.Runbook!.File))] : Scalars(Path.Combine(item.Directory, "scenario.yaml"));
        Assert.Contains(carriers, text => text.Contains(item.Marker, StringComparison.Ordinal));
    }

    private static List<string> Scalars(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        var scalars = new List<string>();
        void Walk(YamlNode node)
        {
            switch (node)
            {
                case YamlScalarNode { Value: { } value }:
                    scalars.Add(value);
                    break;
                case YamlSequenceNode sequence:
                    foreach (var child in sequence)
                    {
                        Walk(child);
                    }

                    break;
                case YamlMappingNode mapping:
                    foreach (var (_, child) in mapping)
                    {
                        Walk(child);
                    }

                    break;
            }
        }

        Walk(stream.Documents[0].RootNode);
        return scalars;
    }
}
