using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ChasiSre.Executor;

/// <summary>
/// An action's identity: one proposal — incident, diagnosis revision, remediation id — is one action however often
/// its diagnosis is delivered, so the id derives from the idempotency key alone.
/// </summary>
public static class ActionIds
{
    /// <summary><c>incident/revision/remediation</c>.</summary>
    public static string IdempotencyKey(string incidentId, long incidentRevision, string remediationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(incidentId);
        ArgumentException.ThrowIfNullOrEmpty(remediationId);
        return string.Create(CultureInfo.InvariantCulture, $"{incidentId}/{incidentRevision}/{remediationId}");
    }

    /// <summary><c>act-</c> and the first 16 bytes of the key's SHA-256, in hex: stable, short, a valid label value.</summary>
    public static string ForKey(string idempotencyKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey));
        return "act-" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
