using System.Text.Json.Serialization;

namespace ChasiSre.Executor;

/// <summary>Quoting of diff keys and scalars (JSON string syntax is valid YAML).</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class DiffJsonContext : JsonSerializerContext;
