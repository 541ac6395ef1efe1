namespace ChasiSre.Ingest.Metrics;

/// <summary>Which text exposition a body is in (from its Content-Type).</summary>
public enum PrometheusTextFormat
{
    /// <summary>Prometheus text format 0.0.4 (<c>text/plain; version=0.0.4</c>): timestamps in milliseconds.</summary>
    Prometheus004,

    /// <summary>OpenMetrics 1.0 text (<c>application/openmetrics-text</c>): timestamps in seconds, <c># EOF</c> required, exemplars.</summary>
    OpenMetrics1,
}
