using System.Numerics.Tensors;
using System.Text;

namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>
/// Exact cosine search over every vector in memory (<see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>
/// on unit vectors), persisted to one file under the data directory on <see cref="FlushAsync"/>
/// (written to a temporary file, then renamed). Fine up to about 100k chunks; beyond that use Qdrant.
/// The scope filter is applied during the scan.
/// </summary>
public sealed class EmbeddedVectorStore : IVectorStore
{
    /// <summary>The file name inside the directory.</summary>
    public const string FileName = "vectors.bin";

    private const int FormatVersion = 1;
    private static readonly byte[] Magic = "CHKV"u8.ToArray();

    private readonly string? _path;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, VectorRecord> _records = new(StringComparer.Ordinal);
    private int _dimensions;
    private bool _dirty;

    /// <summary>A store persisted in <paramref name="directory"/> (loaded if the file exists), or memory only when null.</summary>
    public EmbeddedVectorStore(string? directory)
    {
        if (directory is null)
        {
            return;
        }

        System.IO.Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, FileName);
        if (File.Exists(_path))
        {
            Load(_path);
        }
    }

    /// <inheritdoc />
    public string Name => "embedded";

    /// <inheritdoc />
    public Task EnsureCreatedAsync(int dimensions, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        lock (_lock)
        {
            if (_dimensions != 0 && _dimensions != dimensions && _records.Count > 0)
            {
                throw new InvalidOperationException($"The embedded vector store holds {_dimensions}-dimension vectors; the embedding generator produces {dimensions}. Re-index into a new store directory.");
            }

            _dimensions = dimensions;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UpsertAsync(IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        lock (_lock)
        {
            foreach (var record in records)
            {
                if (_dimensions == 0)
                {
                    _dimensions = record.Vector.Length;
                }

                if (record.Vector.Length != _dimensions)
                {
                    throw new ArgumentException($"Vector of chunk {record.ChunkId} has {record.Vector.Length} dimensions, the store {_dimensions}.", nameof(records));
                }
            }

            foreach (var record in records)
            {
                _records[record.ChunkId] = record;
            }

            _dirty |= records.Count > 0;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeleteAsync(IReadOnlyCollection<string> chunkIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunkIds);
        lock (_lock)
        {
            foreach (var id in chunkIds)
            {
                _dirty |= _records.Remove(id);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<VectorMatch>> SearchAsync(ReadOnlyMemory<float> query, KnowledgeScope scope, int top, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(top);
        var best = new PriorityQueue<string, float>(top + 1);
        lock (_lock)
        {
            if (_records.Count > 0 && query.Length != _dimensions)
            {
                throw new ArgumentException($"Query vector has {query.Length} dimensions, the store {_dimensions}.", nameof(query));
            }

            var q = query.Span;
            foreach (var record in _records.Values)
            {
                if (!scope.Allows(record.Tenant, record.Visibility))
                {
                    continue;
                }

                float score = TensorPrimitives.Dot(q, record.Vector.Span);
                if (best.Count < top)
                {
                    best.Enqueue(record.ChunkId, score);
                }
                else if (best.TryPeek(out _, out var lowest) && score > lowest)
                {
                    best.DequeueEnqueue(record.ChunkId, score);
                }
            }
        }

        var matches = new List<VectorMatch>(best.Count);
        while (best.TryDequeue(out var id, out var score))
        {
            matches.Add(new VectorMatch(id, score));
        }

        matches.Reverse();
        return Task.FromResult<IReadOnlyList<VectorMatch>>(matches);
    }

    /// <inheritdoc />
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_path is null)
        {
            return;
        }

        byte[] bytes;
        lock (_lock)
        {
            if (!_dirty)
            {
                return;
            }

            bytes = Serialize();
            _dirty = false;
        }

        var temporary = _path + ".tmp";
        await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
        File.Move(temporary, _path, overwrite: true);
    }

    /// <inheritdoc />
    public Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult((long)_records.Count);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await FlushAsync();

    private byte[] Serialize()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(_dimensions);
            writer.Write(_records.Count);
            foreach (var record in _records.Values)
            {
                writer.Write(record.ChunkId);
                writer.Write(record.Tenant);
                writer.Write((byte)record.Visibility);
                foreach (var value in record.Vector.Span)
                {
                    writer.Write(value);
                }
            }
        }

        return stream.ToArray();
    }

    private void Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic) || reader.ReadInt32() != FormatVersion)
        {
            throw new InvalidDataException($"{path} is not an embedded vector store file of format {FormatVersion}.");
        }

        _dimensions = reader.ReadInt32();
        int count = reader.ReadInt32();
        for (int i = 0; i < count; i++)
        {
            var id = reader.ReadString();
            var tenant = reader.ReadString();
            var visibility = (KnowledgeVisibility)reader.ReadByte();
            var vector = new float[_dimensions];
            for (int d = 0; d < vector.Length; d++)
            {
                vector[d] = reader.ReadSingle();
            }

            _records[id] = new VectorRecord(id, tenant, visibility, vector);
        }
    }
}
