namespace ChasiSre.Ingest.Scenarios;

/// <summary>A loaded and validated scenario (format chasi.io/scenario/v1, see /shared/scenarios/FORMAT.md).</summary>
/// <param name="Name">Kebab-case scenario name.</param>
/// <param name="Description">Free text; empty when the scenario has none.</param>
/// <param name="StartTime">The scenario clock's t=0.</param>
/// <param name="Clusters">Declared clusters; always contains <c>host</c> first.</param>
/// <param name="Steps">Steps of scenario.yaml and its includes, ordered stably by <see cref="ScenarioStep.At"/>.</param>
/// <param name="Expect">Expected outcome, or null when the scenario has no <c>expect</c> block.</param>
/// <param name="Directory">Full path of the scenario directory.</param>
public sealed record Scenario(
    string Name,
    string Description,
    DateTimeOffset StartTime,
    IReadOnlyList<ScenarioCluster> Clusters,
    IReadOnlyList<ScenarioStep> Steps,
    ScenarioExpectations? Expect,
    string Directory)
{
    /// <summary>The declared cluster named <paramref name="name"/>, or null.</summary>
    public ScenarioCluster? FindCluster(string name) => Clusters.FirstOrDefault(c => c.Name == name);
}
