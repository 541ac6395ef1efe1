namespace ChasiSre.Streams.Detection;

/// <summary>
/// One check (k8sgpt's analyzer shape, one file each): given a changed object and the state
/// around it, the findings that hold now. No finding is not an error; a detector never throws for
/// odd input (a field missing or of an unexpected type means "cannot tell", not a crash).
/// </summary>
public interface IDetector
{
    /// <summary>Stable name, e.g. <c>pod.crashloop</c>; it ends up in <c>Signal.detector</c>.</summary>
    string Name { get; }

    /// <summary>The kinds whose changes make this detector run (it may read others from the state).</summary>
    IReadOnlyCollection<string> Kinds { get; }

    /// <summary>Findings about <paramref name="subject"/> (or objects it decides for) given <paramref name="state"/>.</summary>
    IEnumerable<Finding> Detect(KubeObject subject, IClusterState state);
}
