using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ChasiSre.Ingest;

[JsonSerializable(typeof(JsonObject))]
internal sealed partial class IngestJsonContext : JsonSerializerContext;
