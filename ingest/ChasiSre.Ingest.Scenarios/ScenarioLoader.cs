using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Ingest.Scenarios;

/// <summary>Loads a scenario directory (<c>scenario.yaml</c> plus the files it includes) and validates it strictly.</summary>
public static class ScenarioLoader
{
    /// <summary>The only scenario format version understood.</summary>
    public const string SupportedApiVersion = ScenarioReader.SupportedApiVersion;

    /// <summary>Loads and validates the scenario in <paramref name="directory"/>.</summary>
    /// <exception cref="ScenarioValidationException">Lists every error as file:line:column: reason.</exception>
    public static Scenario Load(string directory) => Load(directory, NullLogger.Instance);

    /// <inheritdoc cref="Load(string)"/>
    public static Scenario Load(string directory, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(logger);
        var reader = new ScenarioReader(directory);
        var scenario = reader.Read();
        if (scenario is null || reader.Errors.Count > 0)
        {
            var errors = reader.Errors.Count > 0
                ? reader.Errors
                : [new ScenarioError(Path.GetFullPath(directory), 1, 1, "the scenario could not be read")];
            logger.ScenarioRejected(Path.GetFullPath(directory), errors.Count, errors[0].ToString());
            throw new ScenarioValidationException(errors);
        }

        logger.ScenarioLoaded(scenario.Name, scenario.Directory, scenario.Clusters.Count, scenario.Steps.Count, reader.FileCount);
        return scenario;
    }
}
