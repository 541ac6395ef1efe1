using ChasiSre.Schemas.V1;
using Google.Protobuf;

namespace ChasiSre.Streams.Pipeline;

/// <summary>
/// The values of the <see cref="DetectionTopology.StateStore"/>: a <see cref="DetectionInput"/> serialized as protobuf
/// (what the changelog carries). The store keeps the serialized bytes as they are (byte-array serdes), and an object
/// snapshot's JSON is read in place from them: the state holds a snapshot's JSON once, in the store's value, instead
/// of once there and once more as the parsed object's copy. The changelog record of a store write carries the headers
/// of the record being processed, so the schema header says nothing about the store's value; only this topology writes
/// the store.
/// </summary>
internal static class DetectionStateValue
{
    private const int LengthDelimited = 2;

    /// <summary>The serialized value of <paramref name="input"/>.</summary>
    public static byte[] Of(DetectionInput input) => input.ToByteArray();

    /// <summary>
    /// Where the snapshot's object_json is in <paramref name="value"/> (a serialized <see cref="DetectionInput"/> holding
    /// an <see cref="ObjectSnapshot"/>); empty when the value holds no snapshot JSON or is not written the way this
    /// topology writes it (each field once), and the caller then reads the parsed message's copy.
    /// </summary>
    public static ReadOnlyMemory<byte> ObjectJson(byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var start = 0;
        var length = value.Length;
        foreach (var field in (ReadOnlySpan<int>)[DetectionInput.ObjectFieldNumber, ObjectRecord.SnapshotFieldNumber, ObjectSnapshot.ObjectJsonFieldNumber])
        {
            if (!TryFindOnce(value.AsSpan(start, length), field, out var offset, out length))
            {
                return ReadOnlyMemory<byte>.Empty;
            }

            start += offset;
        }

        return new ReadOnlyMemory<byte>(value, start, length);
    }

    // The one length-delimited occurrence of a field in a message (protobuf wire format); false when the field is
    // missing, repeated, of another wire type, or the bytes are not a well-formed message.
    private static bool TryFindOnce(ReadOnlySpan<byte> message, int fieldNumber, out int offset, out int length)
    {
        offset = 0;
        length = 0;
        var found = false;
        var position = 0;
        while (position < message.Length)
        {
            if (!TryReadVarint(message, ref position, out var tag))
            {
                return false;
            }

            var wireType = (int)(tag & 7);
            var number = tag >> 3;
            switch (wireType)
            {
                case 0 when TryReadVarint(message, ref position, out _):
                    break;
                case 1 when position + 8 <= message.Length:
                    position += 8;
                    break;
                case 5 when position + 4 <= message.Length:
                    position += 4;
                    break;
                case LengthDelimited when TryReadVarint(message, ref position, out var size) && size <= (ulong)(message.Length - position):
                    if (number == (ulong)fieldNumber)
                    {
                        if (found)
                        {
                            return false;
                        }

                        found = true;
                        offset = position;
                        length = (int)size;
                    }

                    position += (int)size;
                    break;
                default:
                    return false;
            }

            if (number == (ulong)fieldNumber && wireType != LengthDelimited)
            {
                return false;
            }
        }

        return found;
    }

    private static bool TryReadVarint(ReadOnlySpan<byte> bytes, ref int position, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && position < bytes.Length; shift += 7)
        {
            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }
}
