using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace ChasiSre.Api;

/// <summary>
/// Where a page of actions ended: the last action's creation time (its first step) and id (the list is ordered by both,
/// newest first, which later steps do not change). Opaque to clients: base64url of <c>&lt;unix ms&gt;|&lt;id&gt;</c>.
/// </summary>
internal sealed record ActionCursor(DateTimeOffset CreatedAt, string ActionId)
{
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{CreatedAt.ToUnixTimeMilliseconds()}|{ActionId}")));

    public static bool TryDecode(string text, out ActionCursor? cursor)
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
            || !ApiInput.IsActionId(parts[1]))
        {
            return false;
        }

        cursor = new ActionCursor(DateTimeOffset.FromUnixTimeMilliseconds(ms), parts[1]);
        return true;
    }
}
