using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Streams.K8sGpt;

/// <summary>The <see cref="Signal"/> form of a finding, with a deterministic id.</summary>
internal static class FindingSignals
{
    /// <summary><c>sig-</c> + hash of the finding key and when it was first seen.</summary>
    public static string Id(Finding finding, DateTimeOffset firstSeen) =>
        "sig-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{finding.Key}\n{firstSeen.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}")))[..20];

    public static Signal ToSignal(Finding finding, DateTimeOffset firstSeen, DateTimeOffset lastSeen, bool active)
    {
        var signal = new Signal
        {
            Id = Id(finding, firstSeen),
            Detector = finding.Detector,
            Subject = finding.Subject.Clone(),
            Severity = finding.Severity,
            Reason = finding.Reason,
            Message = finding.Message,
            FirstSeen = Timestamp.FromDateTimeOffset(firstSeen),
            LastSeen = Timestamp.FromDateTimeOffset(lastSeen),
            Score = 1,
            Active = active,
            Category = finding.Category.ToString(),
        };
        if (finding.Cause is { } cause)
        {
            signal.Cause = cause.Clone();
        }

        foreach (var line in finding.Evidence)
        {
            signal.Evidence.Add(new EvidenceRef { Summary = line, At = Timestamp.FromDateTimeOffset(lastSeen) });
        }

        foreach (var (name, value) in finding.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            signal.Attributes[name] = value;
        }

        return signal;
    }
}
