using LLama.Native;

namespace ChasiSre.Platform.Inference;

/// <summary>The raw bytes of every token of a vocabulary (control tokens: none), read once per model.</summary>
internal sealed class TokenByteTable
{
    private readonly byte[][] _bytes;

    public TokenByteTable(SafeLlamaModelHandle model)
    {
        int count = model.Vocab.Count;
        _bytes = new byte[count][];
        Span<byte> buffer = stackalloc byte[256];
        for (int id = 0; id < count; id++)
        {
            var token = (LLamaToken)id;
            int length = checked((int)model.TokenToSpan(token, buffer, lstrip: 0, special: false));
            if (length <= buffer.Length)
            {
                _bytes[id] = buffer[..length].ToArray();
            }
            else
            {
                var large = new byte[length];
                model.TokenToSpan(token, large, lstrip: 0, special: false);
                _bytes[id] = large;
            }
        }
    }

    public int Count => _bytes.Length;

    public ReadOnlySpan<byte> this[LLamaToken token]
    {
        get
        {
            int id = (int)token;
            return (uint)id < (uint)_bytes.Length ? _bytes[id] : [];
        }
    }
}
