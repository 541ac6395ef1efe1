namespace ChasiSre.Streams.Anomaly;

/// <summary>
/// A streaming detector whose state can be written and read back (a changelogged Streamiz store, a restart): after
/// <see cref="ReadState"/> the detector scores the next point exactly as the one that wrote the state would have.
/// The state holds only what was learnt; the configuration (window sizes, thresholds) belongs to the constructor, and
/// reading state written with a different configuration throws <see cref="InvalidDataException"/>.
/// </summary>
public interface IPersistentAnomalyDetector : IStreamingAnomalyDetector
{
    /// <summary>Writes everything the detector has learnt.</summary>
    void WriteState(BinaryWriter writer);

    /// <summary>Replaces the detector's state with one written by <see cref="WriteState"/> of a detector configured alike.</summary>
    /// <exception cref="InvalidDataException">The state is truncated, of another detector or of another configuration.</exception>
    void ReadState(BinaryReader reader);
}
