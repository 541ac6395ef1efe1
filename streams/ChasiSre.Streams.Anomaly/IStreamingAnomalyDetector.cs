namespace ChasiSre.Streams.Anomaly;

/// <summary>A univariate detector fed one point at a time, in order.</summary>
public interface IStreamingAnomalyDetector
{
    /// <summary>Adds the next point of the series and scores it.</summary>
    AnomalyScore Update(double value);

    /// <summary>Forgets everything seen so far (the next point starts a new warm-up).</summary>
    void Reset();
}
