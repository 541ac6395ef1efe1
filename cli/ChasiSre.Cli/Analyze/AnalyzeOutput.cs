using System.Text.Json.Serialization;
using ChasiSre.Cli.Scenarios;

namespace ChasiSre.Cli.Analyze;

/// <summary>The JSON of <c>chasi analyze --format json</c>: what was read, the incidents (the scenario format's incident
/// objects, diagnosis included) and a count per severity.</summary>
internal sealed record AnalyzeOutput(AnalyzeSourceOutput Source, IReadOnlyList<IncidentOutput> Incidents, AnalyzeSummary Summary, IReadOnlyList<string> Warnings);

/// <summary>Where the records came from: <c>dump</c> or <c>cluster</c>, the clusters read, the instant analyzed and the filters.</summary>
internal sealed record AnalyzeSourceOutput(string Kind, IReadOnlyList<string> Clusters, DateTimeOffset AsOf, string? Namespace, string? Tenant);

/// <summary>Incidents found (after the filters), per severity.</summary>
internal sealed record AnalyzeSummary(int Incidents, int Critical, int High, int Medium, int Low);

/// <summary>Source-generated camelCase JSON, as the scenario output spells its keys.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AnalyzeOutput))]
internal sealed partial class AnalyzeJsonContext : JsonSerializerContext;
