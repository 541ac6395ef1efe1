using System.Globalization;
using System.Text.RegularExpressions;

namespace ChasiSre.Ingest.Metrics;

/// <summary>
/// Kubernetes resource quantities (<c>12345678n</c>, <c>250m</c>, <c>2</c>, <c>123456Ki</c>, <c>1.5Gi</c>,
/// <c>1e3</c>) as exact decimals: decimal SI suffixes n, u, m, k, M, G, T, P, E and binary suffixes
/// Ki … Ei, or a decimal exponent.
/// </summary>
public static partial class KubeQuantity
{
    /// <summary>Parses <paramref name="text"/>; false when it is not a quantity.</summary>
    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var match = Shape().Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }

        var number = match.Groups["number"].Value;
        var suffix = match.Groups["suffix"].Value;
        decimal multiplier;
        switch (suffix)
        {
            case "": multiplier = 1m; break;
            case "n": multiplier = 0.000000001m; break;
            case "u": multiplier = 0.000001m; break;
            case "m": multiplier = 0.001m; break;
            case "k": multiplier = 1e3m; break;
            case "M": multiplier = 1e6m; break;
            case "G": multiplier = 1e9m; break;
            case "T": multiplier = 1e12m; break;
            case "P": multiplier = 1e15m; break;
            case "E": multiplier = 1e18m; break;
            case "Ki": multiplier = 1024m; break;
            case "Mi": multiplier = 1024m * 1024; break;
            case "Gi": multiplier = 1024m * 1024 * 1024; break;
            case "Ti": multiplier = 1024m * 1024 * 1024 * 1024; break;
            case "Pi": multiplier = 1024m * 1024 * 1024 * 1024 * 1024; break;
            case "Ei": multiplier = 1024m * 1024 * 1024 * 1024 * 1024 * 1024; break;
            default:
                // A decimal exponent: "1e3", "5E-3".
                if (suffix.Length > 1 && suffix[0] is 'e' or 'E'
                    && int.TryParse(suffix.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent)
                    && exponent is >= -18 and <= 18)
                {
                    multiplier = Pow10(exponent);
                    break;
                }

                return false;
        }

        if (!decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var mantissa))
        {
            return false;
        }

        try
        {
            value = mantissa * multiplier;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^(?<number>[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?<suffix>[eE][+-]?[0-9]+|[a-zA-Z]{0,2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < Math.Abs(exponent); i++)
        {
            result *= 10m;
        }

        return exponent < 0 ? 1m / result : result;
    }
}
