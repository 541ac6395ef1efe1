using System.Globalization;
using System.Text;

namespace ChasiSre.TestKit;

/// <summary>
/// Writes a tiny random-weight llama model as a GGUF v3 file, so tests run real llama.cpp
/// inference without downloading anything. The vocabulary is byte-level SentencePiece style:
/// <c>&lt;unk&gt;</c>, <c>&lt;s&gt;</c>, <c>&lt;/s&gt;</c> and the 256 byte tokens <c>&lt;0x00&gt;</c>..<c>&lt;0xFF&gt;</c>,
/// so any UTF-8 text tokenizes (one token per byte) and a GBNF grammar can force any output.
/// Weights are F32 from a seeded SplitMix64 generator: the same settings give the same bytes.
/// </summary>
/// <remarks>
/// Layout (GGUF v3, little-endian): header, metadata key/values, tensor infos, padding to
/// <see cref="Alignment"/>, tensor data with every tensor aligned. Tensor dimensions are in ggml
/// order (<c>ne[0]</c> is the contiguous one), so a weight used as <c>W·x</c> with x of size
/// n_embd is stored as <c>{n_embd, n_out}</c>.
/// </remarks>
public sealed class TinyGgufWriter
{
    /// <summary>Tokens: &lt;unk&gt;, &lt;s&gt;, &lt;/s&gt; and 256 byte tokens.</summary>
    public const int VocabularySize = 3 + 256;

    /// <summary>Id of <c>&lt;unk&gt;</c>.</summary>
    public const int UnknownTokenId = 0;

    /// <summary>Id of <c>&lt;s&gt;</c> (beginning of sequence).</summary>
    public const int BosTokenId = 1;

    /// <summary>Id of <c>&lt;/s&gt;</c> (end of sequence).</summary>
    public const int EosTokenId = 2;

    /// <summary>GGUF data alignment in bytes (the format's default, also written as <c>general.alignment</c>).</summary>
    public const int Alignment = 32;

    private const uint GgufMagic = 0x46554747; // "GGUF" read as little-endian uint32
    private const uint GgufVersion = 3;
    private const uint GgmlTypeF32 = 0;

    // GGUF metadata value types.
    private const uint TypeUInt32 = 4;
    private const uint TypeInt32 = 5;
    private const uint TypeFloat32 = 6;
    private const uint TypeBool = 7;
    private const uint TypeString = 8;
    private const uint TypeArray = 9;

    // llama.cpp token types (tokenizer.ggml.token_type).
    private const int TokenTypeUnknown = 2;
    private const int TokenTypeControl = 3;
    private const int TokenTypeByte = 6;

    /// <summary>Hidden size (<c>llama.embedding_length</c>).</summary>
    public int EmbeddingLength { get; init; } = 64;

    /// <summary>Number of transformer blocks (<c>llama.block_count</c>).</summary>
    public int BlockCount { get; init; } = 2;

    /// <summary>Attention heads (<c>llama.attention.head_count</c>).</summary>
    public int HeadCount { get; init; } = 4;

    /// <summary>Key/value heads (<c>llama.attention.head_count_kv</c>); fewer than <see cref="HeadCount"/> means grouped-query attention.</summary>
    public int KeyValueHeadCount { get; init; } = 4;

    /// <summary>Feed-forward width (<c>llama.feed_forward_length</c>).</summary>
    public int FeedForwardLength { get; init; } = 128;

    /// <summary>Training context length (<c>llama.context_length</c>).</summary>
    public int ContextLength { get; init; } = 512;

    /// <summary>Seed of the weight generator.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Weights are drawn uniformly from [-scale, scale].</summary>
    public float WeightScale { get; init; } = 0.5f;

    /// <summary>Writes the model to <paramref name="path"/> (created or overwritten) and returns its size in bytes.</summary>
    public long WriteToFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        Write(stream);
        return stream.Length;
    }

    /// <summary>Writes the model to <paramref name="stream"/>.</summary>
    public void Write(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Validate();

        var tensors = DescribeTensors();
        var metadata = DescribeMetadata();

        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        long written = 0;

        void Bytes(ReadOnlySpan<byte> bytes)
        {
            writer.Write(bytes);
            written += bytes.Length;
        }

        var scratch = new byte[8];
        void U32(uint value)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(scratch, value);
            Bytes(scratch.AsSpan(0, 4));
        }

        void U64(ulong value)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(scratch, value);
            Bytes(scratch.AsSpan(0, 8));
        }

        void I32(int value) => U32(unchecked((uint)value));

        void F32(float value) => U32(BitConverter.SingleToUInt32Bits(value));

        void Str(string value)
        {
            var utf8 = Encoding.UTF8.GetBytes(value);
            U64((ulong)utf8.Length);
            Bytes(utf8);
        }

        // Header.
        U32(GgufMagic);
        U32(GgufVersion);
        U64((ulong)tensors.Count);
        U64((ulong)metadata.Count);

        // Metadata.
        foreach (var (key, value) in metadata)
        {
            Str(key);
            switch (value)
            {
                case string s:
                    U32(TypeString);
                    Str(s);
                    break;
                case uint u:
                    U32(TypeUInt32);
                    U32(u);
                    break;
                case float f:
                    U32(TypeFloat32);
                    F32(f);
                    break;
                case bool b:
                    U32(TypeBool);
                    Bytes([b ? (byte)1 : (byte)0]);
                    break;
                case string[] strings:
                    U32(TypeArray);
                    U32(TypeString);
                    U64((ulong)strings.Length);
                    foreach (var s in strings)
                    {
                        Str(s);
                    }

                    break;
                case float[] floats:
                    U32(TypeArray);
                    U32(TypeFloat32);
                    U64((ulong)floats.Length);
                    foreach (var f in floats)
                    {
                        F32(f);
                    }

                    break;
                case int[] ints:
                    U32(TypeArray);
                    U32(TypeInt32);
                    U64((ulong)ints.Length);
                    foreach (var i in ints)
                    {
                        I32(i);
                    }

                    break;
                default:
                    throw new InvalidOperationException($"Unsupported metadata value type {value.GetType()} for key '{key}'.");
            }
        }

        // Tensor infos; offsets are relative to the start of the data section.
        ulong offset = 0;
        var offsets = new ulong[tensors.Count];
        for (int t = 0; t < tensors.Count; t++)
        {
            var tensor = tensors[t];
            offset = AlignUp(offset);
            offsets[t] = offset;
            Str(tensor.Name);
            U32((uint)tensor.Dims.Length);
            foreach (var dim in tensor.Dims)
            {
                U64((ulong)dim);
            }

            U32(GgmlTypeF32);
            U64(offset);
            offset += (ulong)tensor.ElementCount * sizeof(float);
        }

        // Pad to the start of the data section, then the tensors, each aligned.
        Pad();
        long dataStart = written;
        var rng = new SplitMix64(Seed);
        var buffer = new byte[4096];
        for (int t = 0; t < tensors.Count; t++)
        {
            while ((ulong)(written - dataStart) < offsets[t])
            {
                Bytes([0]);
            }

            var tensor = tensors[t];
            long remaining = tensor.ElementCount;
            while (remaining > 0)
            {
                int count = (int)Math.Min(remaining, buffer.Length / sizeof(float));
                for (int i = 0; i < count; i++)
                {
                    float value = tensor.IsNorm ? 1f : rng.NextSymmetric(WeightScale);
                    System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * sizeof(float)), value);
                }

                Bytes(buffer.AsSpan(0, count * sizeof(float)));
                remaining -= count;
            }
        }

        writer.Flush();

        void Pad()
        {
            while (written % Alignment != 0)
            {
                Bytes([0]);
            }
        }
    }

    private static ulong AlignUp(ulong value) => (value + Alignment - 1) / Alignment * Alignment;

    private void Validate()
    {
        if (EmbeddingLength <= 0 || BlockCount <= 0 || HeadCount <= 0 || KeyValueHeadCount <= 0 || FeedForwardLength <= 0 || ContextLength <= 0)
        {
            throw new InvalidOperationException("All model dimensions must be positive.");
        }

        if (EmbeddingLength % HeadCount != 0)
        {
            throw new InvalidOperationException($"EmbeddingLength ({EmbeddingLength}) must be a multiple of HeadCount ({HeadCount}).");
        }

        if (HeadCount % KeyValueHeadCount != 0)
        {
            throw new InvalidOperationException($"HeadCount ({HeadCount}) must be a multiple of KeyValueHeadCount ({KeyValueHeadCount}).");
        }

        if (EmbeddingLength / HeadCount % 2 != 0)
        {
            throw new InvalidOperationException("The head dimension must be even for rotary embeddings.");
        }
    }

    private List<KeyValuePair<string, object>> DescribeMetadata()
    {
        var tokens = new string[VocabularySize];
        var scores = new float[VocabularySize];
        var types = new int[VocabularySize];
        tokens[UnknownTokenId] = "<unk>";
        types[UnknownTokenId] = TokenTypeUnknown;
        tokens[BosTokenId] = "<s>";
        types[BosTokenId] = TokenTypeControl;
        tokens[EosTokenId] = "</s>";
        types[EosTokenId] = TokenTypeControl;
        for (int b = 0; b < 256; b++)
        {
            tokens[3 + b] = string.Create(CultureInfo.InvariantCulture, $"<0x{b:X2}>");
            types[3 + b] = TokenTypeByte;
        }

        int headDim = EmbeddingLength / HeadCount;
        return
        [
            new("general.architecture", "llama"),
            new("general.name", "chasisre-tiny-random"),
            new("general.alignment", (uint)Alignment),
            new("general.file_type", 0u), // ALL_F32
            new("llama.context_length", (uint)ContextLength),
            new("llama.embedding_length", (uint)EmbeddingLength),
            new("llama.block_count", (uint)BlockCount),
            new("llama.feed_forward_length", (uint)FeedForwardLength),
            new("llama.attention.head_count", (uint)HeadCount),
            new("llama.attention.head_count_kv", (uint)KeyValueHeadCount),
            new("llama.rope.dimension_count", (uint)headDim),
            new("llama.rope.freq_base", 10000f),
            new("llama.attention.layer_norm_rms_epsilon", 1e-5f),
            new("llama.vocab_size", (uint)VocabularySize),
            new("tokenizer.ggml.model", "llama"),
            new("tokenizer.ggml.tokens", tokens),
            new("tokenizer.ggml.scores", scores),
            new("tokenizer.ggml.token_type", types),
            new("tokenizer.ggml.unknown_token_id", (uint)UnknownTokenId),
            new("tokenizer.ggml.bos_token_id", (uint)BosTokenId),
            new("tokenizer.ggml.eos_token_id", (uint)EosTokenId),
            new("tokenizer.ggml.add_bos_token", true),
            new("tokenizer.ggml.add_eos_token", false),
        ];
    }

    private List<TensorSpec> DescribeTensors()
    {
        int embd = EmbeddingLength;
        int kvDim = EmbeddingLength / HeadCount * KeyValueHeadCount;
        var tensors = new List<TensorSpec>
        {
            new("token_embd.weight", [embd, VocabularySize], IsNorm: false),
        };
        for (int layer = 0; layer < BlockCount; layer++)
        {
            string p = string.Create(CultureInfo.InvariantCulture, $"blk.{layer}.");
            tensors.Add(new(p + "attn_norm.weight", [embd], IsNorm: true));
            tensors.Add(new(p + "attn_q.weight", [embd, embd], IsNorm: false));
            tensors.Add(new(p + "attn_k.weight", [embd, kvDim], IsNorm: false));
            tensors.Add(new(p + "attn_v.weight", [embd, kvDim], IsNorm: false));
            tensors.Add(new(p + "attn_output.weight", [embd, embd], IsNorm: false));
            tensors.Add(new(p + "ffn_norm.weight", [embd], IsNorm: true));
            tensors.Add(new(p + "ffn_gate.weight", [embd, FeedForwardLength], IsNorm: false));
            tensors.Add(new(p + "ffn_up.weight", [embd, FeedForwardLength], IsNorm: false));
            tensors.Add(new(p + "ffn_down.weight", [FeedForwardLength, embd], IsNorm: false));
        }

        tensors.Add(new("output_norm.weight", [embd], IsNorm: true));
        tensors.Add(new("output.weight", [embd, VocabularySize], IsNorm: false));
        return tensors;
    }

    private sealed record TensorSpec(string Name, long[] Dims, bool IsNorm)
    {
        public long ElementCount => Dims.Aggregate(1L, (a, d) => a * d);
    }

    /// <summary>SplitMix64: tiny, fast and identical on every runtime, unlike <see cref="Random"/>'s unspecified algorithm.</summary>
    private struct SplitMix64(ulong seed)
    {
        private ulong _state = seed;

        public ulong Next()
        {
            ulong z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        public float NextSymmetric(float scale)
        {
            // 24 random bits -> [0, 1) -> [-scale, scale).
            float unit = (Next() >> 40) / (float)(1 << 24);
            return ((unit * 2f) - 1f) * scale;
        }
    }
}
