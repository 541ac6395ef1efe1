using System.Text.Json.Serialization;
using ChasiSre.Cli.Bench;
using ChasiSre.Cli.Commands;

namespace ChasiSre.Cli;

/// <summary>Source-generated JSON for everything the CLI prints.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BenchmarkReport))]
[JsonSerializable(typeof(DoctorReport))]
[JsonSerializable(typeof(VersionInfo))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
