using System.Text.Json.Serialization;

namespace ChasiSre.Sdk.Testing;

/// <summary>Source-generated JSON of the report.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ConformanceReport))]
internal sealed partial class ConformanceJsonContext : JsonSerializerContext;
