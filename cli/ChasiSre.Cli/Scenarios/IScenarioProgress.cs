using ChasiSre.Ingest.Scenarios;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Cli.Scenarios;

/// <summary>What a live view hears while <see cref="ScenarioCommand.RunAsync"/> works. Replays run in parallel: calls
/// may come from several threads.</summary>
internal interface IScenarioProgress
{
    /// <summary>A scenario went through the detection topology.</summary>
    void Replayed(Scenario scenario, IReadOnlyList<Incident> incidents);

    /// <summary>Every scenario is replayed; the diagnosis starts (after the knowledge base is ready).</summary>
    void Diagnosing();

    /// <summary>A scenario's incidents are diagnosed.</summary>
    void Diagnosed(ScenarioResult result);
}
