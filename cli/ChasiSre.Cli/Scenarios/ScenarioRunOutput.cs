using System.Text.Json.Serialization;

namespace ChasiSre.Cli.Scenarios;

/// <summary>The JSON of <c>chasi scenario run --format json</c>, exactly as scenarios/FORMAT.md specifies it.</summary>
internal sealed record ScenarioRunOutput(IReadOnlyList<ScenarioOutput> Scenarios, ScenarioRunSummary Summary);

internal sealed record ScenarioOutput(string Name, IReadOnlyList<IncidentOutput> Incidents, ExpectationsOutput? Expectations);

internal sealed record IncidentOutput(
    string Id,
    string Category,
    string Layer,
    string Severity,
    ObjectOutput Subject,
    IReadOnlyList<ObjectOutput> Related,
    string Summary,
    string Evidence,
    int? EvidenceTokens,
    DiagnosisOutput? Diagnosis)
{
    /// <summary>Always written, null until a diagnosis exists (FORMAT.md: "diagnosis may be null").</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public DiagnosisOutput? Diagnosis { get; init; } = Diagnosis;
}

internal sealed record ObjectOutput(string Cluster, string Kind, string? Namespace, string Name);

internal sealed record DiagnosisOutput(string Provider, string RootCause, double Confidence, IReadOnlyList<string> Remediation, IReadOnlyList<string> Citations)
{
    /// <summary>The engine that answered: <c>rules</c> or <c>provider:model</c>.</summary>
    public string? Model { get; init; }

    /// <summary>Where the diagnosis places the cause.</summary>
    public string? Layer { get; init; }

    /// <summary>The cited evidence lines, as the pack printed them.</summary>
    public IReadOnlyList<string> Evidence { get; init; } = [];

    /// <summary>Requests sent to the chat client for this diagnosis.</summary>
    public int LlmCalls { get; init; }
}

internal sealed record ExpectationsOutput(int Passed, int Failed, IReadOnlyList<string> Failures);

internal sealed record ScenarioRunSummary(int Scenarios, int Passed, int Failed);

/// <summary>Source-generated camelCase JSON for the scenario format (FORMAT.md spells its keys in camelCase).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ScenarioRunOutput))]
[JsonSerializable(typeof(IncidentOutput))]
internal sealed partial class ScenarioJsonContext : JsonSerializerContext;
