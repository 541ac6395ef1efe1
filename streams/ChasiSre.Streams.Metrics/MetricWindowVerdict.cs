namespace ChasiSre.Streams.Metrics;

/// <summary>How one closed window of a series was judged.</summary>
/// <param name="Start">Window start.</param>
/// <param name="End">Window end (exclusive).</param>
/// <param name="Value">Mean of the window's points.</param>
/// <param name="Points">How many points the window held.</param>
/// <param name="Mean">Baseline mean (the preceding windows); NaN while the baseline fills.</param>
/// <param name="Deviation">Baseline standard deviation; NaN while the baseline fills.</param>
/// <param name="Low">Lower end of the expected band (<c>Mean - BandSigmas · Deviation</c>).</param>
/// <param name="High">Upper end of the expected band.</param>
/// <param name="Z">|Value - Mean| / Deviation (infinite off a constant baseline).</param>
/// <param name="Likelihood">Anomaly likelihood of the z-score's recent average (0.5 when nothing unusual, ≥ 0.99999 red).</param>
/// <param name="OutOfRange">The value left the range seen so far by more than NAB's spatial tolerance.</param>
/// <param name="RangeMin">Smallest window value seen before this one.</param>
/// <param name="RangeMax">Largest window value seen before this one.</param>
/// <param name="Score">The combined score in [0, 1] (1 for a range breach, NAB's log-likelihood otherwise).</param>
/// <param name="Warm">The series is past its warm-up.</param>
/// <param name="Anomalous">The window alerts: warm, scored anomalous, outside the band or the range, and far enough from the mean.</param>
public sealed record MetricWindowVerdict(
    DateTimeOffset Start,
    DateTimeOffset End,
    double Value,
    int Points,
    double Mean,
    double Deviation,
    double Low,
    double High,
    double Z,
    double Likelihood,
    bool OutOfRange,
    double RangeMin,
    double RangeMax,
    double Score,
    bool Warm,
    bool Anomalous);
