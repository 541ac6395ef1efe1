using System.Globalization;
using System.Text;
using ChasiSre.Schemas.V1;
using Google.Protobuf.WellKnownTypes;

namespace ChasiSre.Diagnosis.Evidence;

/// <summary>How the pack writes references, times, levels and long text: compact, stable, one line each.</summary>
internal static class EvidenceText
{
    /// <summary>Marks text that was cut.</summary>
    public const string Ellipsis = "…";

    /// <summary><c>team-a/Pod shop/checkout-x</c>, <c>host/Node worker-1</c>.</summary>
    public static string Ref(ObjectRef? reference)
    {
        if (reference is null)
        {
            return "(none)";
        }

        var cluster = reference.Cluster.Length > 0 ? reference.Cluster : "?";
        var kind = reference.Kind.Length > 0 ? reference.Kind : "?";
        return reference.Namespace.Length > 0
            ? $"{cluster}/{kind} {reference.Namespace}/{reference.Name}"
            : $"{cluster}/{kind} {reference.Name}";
    }

    /// <summary><c>host</c>, <c>virtual</c>, <c>business</c> or <c>unspecified</c>.</summary>
    public static string Layer(Layer layer) => layer switch
    {
        Schemas.V1.Layer.Host => "host",
        Schemas.V1.Layer.Virtual => "virtual",
        Schemas.V1.Layer.Business => "business",
        _ => "unspecified",
    };

    /// <summary><c>info</c>, <c>warning</c>, <c>error</c>, <c>critical</c> or <c>unspecified</c>.</summary>
    public static string Severity(Severity severity) => severity switch
    {
        Schemas.V1.Severity.Info => "info",
        Schemas.V1.Severity.Warning => "warning",
        Schemas.V1.Severity.Error => "error",
        Schemas.V1.Severity.Critical => "critical",
        _ => "unspecified",
    };

    /// <summary>The log level as logs print it: <c>FATAL</c>, <c>ERROR</c>, ...</summary>
    public static string Level(LogLevel level) => level == LogLevel.Unspecified ? "-" : level.ToString().ToUpperInvariant();

    /// <summary>ISO 8601 UTC to the second.</summary>
    public static string Iso(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// <c>HH:mm:ss</c> when <paramref name="at"/> falls on <paramref name="day"/> (the incident's day, printed in the
    /// header), else the full ISO time; <c>?</c> when unknown.
    /// </summary>
    public static string Time(Timestamp? at, DateOnly day) => at is null ? "?" : Time(at.ToDateTime(), day);

    /// <inheritdoc cref="Time(Timestamp?, DateOnly)"/>
    public static string Time(DateTime at, DateOnly day) =>
        DateOnly.FromDateTime(at) == day ? at.ToString("HH:mm:ss", CultureInfo.InvariantCulture) : Iso(at);

    /// <summary>Whitespace runs (newlines included) collapsed to one space, trimmed, and cut to <paramref name="maxChars"/>.</summary>
    public static string OneLine(string? text, int maxChars)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var builder = new StringBuilder(Math.Min(text.Length, maxChars + 1));
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
            if (builder.Length > maxChars)
            {
                break;
            }
        }

        return Cut(builder.ToString(), maxChars);
    }

    /// <summary><paramref name="text"/> cut to <paramref name="maxChars"/> characters, the last one an ellipsis when cut.</summary>
    public static string Cut(string text, int maxChars)
    {
        if (text.Length <= maxChars)
        {
            return text;
        }

        var end = maxChars - 1;
        // Never split a surrogate pair.
        if (end > 0 && char.IsHighSurrogate(text[end - 1]))
        {
            end--;
        }

        return string.Concat(text.AsSpan(0, end), Ellipsis);
    }

    /// <summary>A number without noise: <c>12</c>, <c>0.5</c>, <c>1.2e+08</c>.</summary>
    public static string Number(double value) =>
        Math.Abs(value) >= 1e6 || (value != 0 && Math.Abs(value) < 1e-3)
            ? value.ToString("0.##e+00", CultureInfo.InvariantCulture)
            : value.ToString("0.###", CultureInfo.InvariantCulture);
}
