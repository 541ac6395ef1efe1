namespace ChasiSre.Streams.Metrics;

/// <summary>How one closed window of a workload was judged by its PCA model.</summary>
/// <param name="Start">Window start.</param>
/// <param name="End">Window end (exclusive).</param>
/// <param name="Features">The window's feature vector (<see cref="WorkloadFeature"/> order).</param>
/// <param name="Score">The model's score (normalised reconstruction error); NaN without a model.</param>
/// <param name="Threshold">The model's learnt threshold; NaN without a model.</param>
/// <param name="ModelVersion">Version of the model that judged it (0: none yet).</param>
/// <param name="Strongest">The feature furthest from the training windows.</param>
/// <param name="StrongestSigmas">How far, in training standard deviations (signed).</param>
/// <param name="ExpectedMean">That feature's training mean.</param>
/// <param name="ExpectedDeviation">That feature's training standard deviation.</param>
public sealed record WorkloadPcaVerdict(
    DateTimeOffset Start,
    DateTimeOffset End,
    IReadOnlyList<double> Features,
    double Score,
    double Threshold,
    int ModelVersion,
    WorkloadFeature Strongest,
    double StrongestSigmas,
    double ExpectedMean,
    double ExpectedDeviation)
{
    /// <summary>True when a model judged the window and its score exceeds the threshold.</summary>
    public bool Anomalous => ModelVersion > 0 && Score > Threshold;

    internal static void Write(BinaryWriter writer, WorkloadPcaVerdict? verdict)
    {
        writer.Write(verdict is not null);
        if (verdict is null)
        {
            return;
        }

        writer.Write(verdict.Start.UtcTicks);
        writer.Write(verdict.End.UtcTicks);
        writer.Write(verdict.Features.Count);
        foreach (var value in verdict.Features)
        {
            writer.Write(value);
        }

        writer.Write(verdict.Score);
        writer.Write(verdict.Threshold);
        writer.Write(verdict.ModelVersion);
        writer.Write((int)verdict.Strongest);
        writer.Write(verdict.StrongestSigmas);
        writer.Write(verdict.ExpectedMean);
        writer.Write(verdict.ExpectedDeviation);
    }

    internal static WorkloadPcaVerdict? Read(BinaryReader reader)
    {
        if (!reader.ReadBoolean())
        {
            return null;
        }

        var start = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
        var end = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
        var count = reader.ReadInt32();
        if (count != WorkloadPcaModel.Dimension)
        {
            throw new InvalidDataException($"a verdict with {count} features");
        }

        var features = new double[count];
        for (var f = 0; f < count; f++)
        {
            features[f] = reader.ReadDouble();
        }

        return new WorkloadPcaVerdict(
            start, end, features, reader.ReadDouble(), reader.ReadDouble(), reader.ReadInt32(), (WorkloadFeature)reader.ReadInt32(),
            reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble());
    }
}
