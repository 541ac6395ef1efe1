using System.Security.Cryptography;
using System.Text;

namespace ChasiSre.Api;

/// <summary>
/// Makes API tokens and the SHA-256 hashes the configuration stores instead of them
/// (<see cref="ApiTokenOptions.Sha256"/>); <c>printf %s "$TOKEN" | sha256sum</c> gives the same hash.
/// </summary>
public static class ApiTokenHasher
{
    /// <summary>The prefix of tokens made by <see cref="NewToken"/>, so secret scanners can spot them.</summary>
    public const string TokenPrefix = "chasi_";

    /// <summary>Lowercase hex of SHA-256 over the UTF-8 bytes of <paramref name="token"/>.</summary>
    public static string Hash(string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    /// <summary>A new random token: <see cref="TokenPrefix"/> and 32 random bytes in base64url (256 bits of entropy).</summary>
    public static string NewToken()
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return TokenPrefix + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
