using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;

namespace ChasiSre.Streams.K8sGpt;

/// <summary>The <see cref="Signal"/> form of a finding, with a deterministic id.</summary>
internal static class FindingSignals
{
    /// <summary><c>sig-</c> + hash of the finding key and when it was first seen.</summary>
    public static string Id(Finding finding, DateTimeOffset firstSeen) =>
        "sig-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{finding.Key}\n{firstSeen.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}")))[..20];

    public static Signal ToSignal(Finding finding, DateTimeOffset firstSeen, DateTimeOffset lastSeen, bool active) =>
        finding.ToSignal(Id(finding, firstSeen), firstSeen, lastSeen, active);
}
