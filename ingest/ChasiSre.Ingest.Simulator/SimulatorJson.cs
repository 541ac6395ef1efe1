using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Simulator;

/// <summary>
/// JSON settings of the simulator's wire format. Everything is written through
/// <see cref="Utf8JsonWriter"/> (no reflection), so hosts with reflection-based serialization
/// disabled (trimmed or AOT) can run the simulator.
/// </summary>
internal static class SimulatorJson
{
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>Compact UTF-8 JSON of a node; HTML-sensitive characters are not escaped (the apiserver does not escape them either).</summary>
    public static byte[] ToUtf8Bytes(JsonNode node)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            node.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
