using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace ChasiSre.Api;

/// <summary>
/// Where a page ended: the last item's time and id, the list's order (newest first): an incident's opening time, an
/// action's creation time (its first step, which later steps do not change). Opaque to clients: base64url of
/// <c>&lt;unix ms&gt;|&lt;id&gt;</c>.
/// </summary>
internal sealed record PageCursor(DateTimeOffset At, string Id)
{
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{At.ToUnixTimeMilliseconds()}|{Id}")));

    /// <summary>Decodes <paramref name="text"/>; false when it is not a cursor whose id <paramref name="isId"/> accepts.</summary>
    public static bool TryDecode(string text, Func<string, bool> isId, out PageCursor? cursor)
    {
        cursor = null;
        if (text.Length is 0 or > 400)
        {
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return false;
        }

        var parts = Encoding.UTF8.GetString(bytes).Split('|', 2);
        if (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            || !isId(parts[1]))
        {
            return false;
        }

        cursor = new PageCursor(DateTimeOffset.FromUnixTimeMilliseconds(ms), parts[1]);
        return true;
    }
}
