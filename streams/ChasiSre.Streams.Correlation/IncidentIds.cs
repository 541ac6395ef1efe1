using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ChasiSre.Streams.Correlation;

/// <summary>Deterministic identities: the same findings at the same state times give the same ids on every replay.</summary>
internal static class IncidentIds
{
    /// <summary>Fingerprint of a root and the category it opened with.</summary>
    public static string Fingerprint(string rootKey, string category) => Hash($"{rootKey}\n{category}", 32);

    /// <summary><c>inc-</c> + hash of the fingerprint and the opening time (ms since the epoch).</summary>
    public static string Incident(string fingerprint, DateTimeOffset openedAt) =>
        "inc-" + Hash($"{fingerprint}\n{openedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}", 20);

    /// <summary><c>sig-</c> + hash of the signal key and when it was first seen.</summary>
    public static string Signal(string signalKey, DateTimeOffset firstSeen) =>
        "sig-" + Hash($"{signalKey}\n{firstSeen.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}", 20);

    private static string Hash(string text, int hexChars) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..hexChars];
}
