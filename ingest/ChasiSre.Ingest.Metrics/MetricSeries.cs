using System.Text;

namespace ChasiSre.Ingest.Metrics;

/// <summary>
/// The series identity written into <c>MetricSample.series</c>: the name, then the labels sorted
/// by name in Prometheus notation with escaped values, e.g. <c>http_requests_total{code="200",pod="web-1"}</c>.
/// Labels starting with <c>__</c> are per-record annotations (<see cref="ResetAnnotation"/>,
/// <see cref="GapAnnotation"/>) and never part of the identity.
/// </summary>
public static class MetricSeries
{
    /// <summary>Annotation label set to <c>true</c> on the record whose point follows a counter reset.</summary>
    public const string ResetAnnotation = "__reset__";

    /// <summary>Annotation label holding the seconds since the previous point when a gap (missed scrapes) preceded this one.</summary>
    public const string GapAnnotation = "__gap_seconds__";

    /// <summary>The series string of <paramref name="name"/> with <paramref name="labels"/> (sorted or not; annotations skipped).</summary>
    public static string Format(string name, IEnumerable<KeyValuePair<string, string>> labels)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(labels);
        var sorted = labels.Where(l => !IsAnnotation(l.Key)).OrderBy(l => l.Key, StringComparer.Ordinal).ToList();
        if (sorted.Count == 0)
        {
            return name;
        }

        var text = new StringBuilder(name).Append('{');
        for (var i = 0; i < sorted.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(sorted[i].Key).Append("=\"");
            foreach (var c in sorted[i].Value)
            {
                _ = c switch
                {
                    '\\' => text.Append("\\\\"),
                    '"' => text.Append("\\\""),
                    '\n' => text.Append("\\n"),
                    _ => text.Append(c),
                };
            }

            text.Append('"');
        }

        return text.Append('}').ToString();
    }

    /// <summary>True for a label name reserved for annotations (<c>__</c> prefix).</summary>
    public static bool IsAnnotation(string labelName) => labelName.StartsWith("__", StringComparison.Ordinal);
}
