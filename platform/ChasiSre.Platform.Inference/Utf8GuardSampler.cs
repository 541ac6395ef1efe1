using LLama.Native;

namespace ChasiSre.Platform.Inference;

/// <summary>
/// A sampler stage that rules out tokens whose bytes would make the output invalid UTF-8
/// (stray continuation bytes, overlong forms, surrogates, code points above U+10FFFF). llama.cpp's
/// grammar works on decoded code points with a lenient decoder, so byte-level tokens could
/// otherwise produce text that only decodes with replacement characters.
/// </summary>
internal sealed class Utf8GuardSampler(TokenByteTable tokens) : ICustomSampler
{
    private Utf8State _state;

    public string Name => "chasi-utf8-guard";

    public void Apply(ref LLamaTokenDataArrayNative tokenData)
    {
        var data = tokenData.Data;
        bool changed = false;
        for (int i = 0; i < data.Length; i++)
        {
            ref var candidate = ref data[i];
            if (float.IsNegativeInfinity(candidate.Logit))
            {
                continue;
            }

            var bytes = tokens[candidate.ID];
            bool valid = bytes.Length == 0 ? _state.IsComplete : _state.TryAdvance(bytes, out _);
            if (!valid)
            {
                candidate.Logit = float.NegativeInfinity;
                changed = true;
            }
        }

        if (changed)
        {
            tokenData.Sorted = false;
        }
    }

    public void Accept(LLamaToken token)
    {
        var bytes = tokens[token];
        _state = _state.TryAdvance(bytes, out var next) ? next : default;
    }

    public void Reset() => _state = default;

    public ICustomSampler Clone() => new Utf8GuardSampler(tokens) { _state = _state };

    public void Dispose()
    {
    }

    /// <summary>Where a UTF-8 decoder stands: how many continuation bytes are due and the allowed range of the next one.</summary>
    internal readonly record struct Utf8State(int Pending, byte NextLow, byte NextHigh)
    {
        public bool IsComplete => Pending == 0;

        public bool TryAdvance(ReadOnlySpan<byte> bytes, out Utf8State next)
        {
            int pending = Pending;
            byte low = NextLow;
            byte high = NextHigh;
            foreach (byte b in bytes)
            {
                if (pending > 0)
                {
                    if (b < low || b > high)
                    {
                        next = default;
                        return false;
                    }

                    pending--;
                    (low, high) = (0x80, 0xBF);
                    continue;
                }

                // Lead byte (Unicode Table 3-7, well-formed UTF-8 byte sequences).
                switch (b)
                {
                    case <= 0x7F:
                        continue;
                    case >= 0xC2 and <= 0xDF:
                        (pending, low, high) = (1, 0x80, 0xBF);
                        break;
                    case 0xE0:
                        (pending, low, high) = (2, 0xA0, 0xBF);
                        break;
                    case 0xED:
                        (pending, low, high) = (2, 0x80, 0x9F);
                        break;
                    case >= 0xE1 and <= 0xEF:
                        (pending, low, high) = (2, 0x80, 0xBF);
                        break;
                    case 0xF0:
                        (pending, low, high) = (3, 0x90, 0xBF);
                        break;
                    case >= 0xF1 and <= 0xF3:
                        (pending, low, high) = (3, 0x80, 0xBF);
                        break;
                    case 0xF4:
                        (pending, low, high) = (3, 0x80, 0x8F);
                        break;
                    default:
                        next = default;
                        return false;
                }
            }

            next = pending == 0 ? default : new Utf8State(pending, low, high);
            return true;
        }
    }
}
