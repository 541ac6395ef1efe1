using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChasiSre.Diagnosis.Knowledge.Sources;

/// <summary>
/// Where the indexer stopped: the highest <c>ingested_at</c> read from <see cref="Source"/> and the rows read at exactly
/// that instant (the next run reads from it inclusively, so a row written in the same millisecond is not missed).
/// </summary>
internal sealed record IncidentIndexState(string Source, DateTime Watermark, IReadOnlyList<string> BoundaryKeys)
{
    public static async Task<IncidentIndexState?> LoadAsync(string path, string source, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = File.OpenRead(path);
        var state = await JsonSerializer.DeserializeAsync(stream, IncidentIndexStateJson.Default.IncidentIndexState, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"{path} holds no indexer state");
        // A state of another store (or database) says nothing about this one: start over.
        return string.Equals(state.Source, source, StringComparison.Ordinal) ? state with { Watermark = DateTime.SpecifyKind(state.Watermark, DateTimeKind.Utc) } : null;
    }

    public async Task SaveAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        await using (var stream = File.Create(temporary))
        {
            await JsonSerializer.SerializeAsync(stream, this, IncidentIndexStateJson.Default.IncidentIndexState, cancellationToken).ConfigureAwait(false);
        }

        File.Move(temporary, path, overwrite: true);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(IncidentIndexState))]
internal sealed partial class IncidentIndexStateJson : JsonSerializerContext;
