namespace ChasiSre.Ingest.Scenarios;

/// <summary>A scenario failed to load; <see cref="Errors"/> holds every problem found, not just the first.</summary>
public sealed class ScenarioValidationException : Exception
{
    public ScenarioValidationException(IReadOnlyList<ScenarioError> errors)
        : base(Format(errors))
    {
        Errors = errors;
    }

    public ScenarioValidationException()
        : this([])
    {
    }

    public ScenarioValidationException(string message)
        : base(message)
    {
        Errors = [];
    }

    public ScenarioValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public IReadOnlyList<ScenarioError> Errors { get; }

    private static string Format(IReadOnlyList<ScenarioError> errors) =>
        errors.Count == 0
            ? "The scenario is invalid."
            : $"The scenario is invalid ({errors.Count} error{(errors.Count == 1 ? "" : "s")}):{Environment.NewLine}"
              + string.Join(Environment.NewLine, errors.Select(e => e.ToString()));
}
