namespace ChasiSre.Ingest.Metrics;

/// <summary>A scrape body is not valid exposition text, or breaks a hard limit; the whole scrape is rejected.</summary>
public sealed class PrometheusFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="line">1-based line number where parsing stopped (0 when not line-specific).</param>
    /// <param name="reason">What is wrong.</param>
    /// <param name="limitExceeded">True when a hard limit (bytes, line length, series, labels) was hit.</param>
    /// <param name="inner">The underlying error (a UTF-8 decoder failure).</param>
    public PrometheusFormatException(int line, string reason, bool limitExceeded = false, Exception? inner = null)
        : base(line > 0 ? $"line {line}: {reason}" : reason, inner)
    {
        Line = line;
        Reason = reason;
        LimitExceeded = limitExceeded;
    }

    /// <summary>1-based line number where parsing stopped (0 when not line-specific).</summary>
    public int Line { get; }

    /// <summary>What is wrong, without the line number.</summary>
    public string Reason { get; }

    /// <summary>True when a hard limit (bytes, line length, series, labels) was hit rather than a syntax error.</summary>
    public bool LimitExceeded { get; }
}
