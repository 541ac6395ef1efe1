using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace ChasiSre.Streams.Metrics;

/// <summary>
/// One trained ML.NET RandomizedPca model of a workload: the features are standardised with the training history's
/// means and deviations (bytes and cores would otherwise not compare). ML.NET's PCA score is the <em>normalised</em>
/// reconstruction error (the sine of the angle between the centred vector and the principal subspace, in [0, 1]: it says
/// nothing of how far a window is), so the score used here is that times the centred vector's length: the absolute
/// reconstruction error (the square root of the SPE, or Q statistic) in standard deviations. The threshold is learnt from
/// the training windows' own scores. Immutable once trained; saved and loaded with ML.NET's own model format.
/// </summary>
public sealed class WorkloadPcaModel
{
    /// <summary>Feature vector length.</summary>
    public const int Dimension = 5;

    private readonly MLContext context;
    private readonly ITransformer transformer;
    private readonly PredictionEngine<FeatureRow, ScoreRow> engine;
    private readonly double[] means;
    private readonly double[] deviations;
    private readonly float[] center;
    private readonly int[] used;

    private WorkloadPcaModel(MLContext context, ITransformer transformer, double[] means, double[] deviations, int[] used, int version, double threshold, int trainedOn, int rank)
    {
        Rank = rank;
        this.used = used;
        this.context = context;
        this.transformer = transformer;
        this.means = means;
        this.deviations = deviations;
        engine = context.Model.CreatePredictionEngine<FeatureRow, ScoreRow>(transformer, inputSchemaDefinition: Schema(used.Length));
        center = Center(transformer, used.Length);
        Version = version;
        Threshold = threshold;
        TrainedOn = trainedOn;
    }

    /// <summary>Model version: 1 for the workload's first model, one more per retraining.</summary>
    public int Version { get; }

    /// <summary>Scores above this are anomalous (learnt from the training windows).</summary>
    public double Threshold { get; }

    /// <summary>Principal components kept: the configured rank, less when fewer features vary (one fewer than those that do, at least 1).</summary>
    public int Rank { get; }

    /// <summary>The features the model was trained on: those that varied in the history (a constant one carries no structure).</summary>
    public IReadOnlyList<WorkloadFeature> Features => [.. used.Select(f => (WorkloadFeature)f)];

    /// <summary>Windows the model was trained on.</summary>
    public int TrainedOn { get; }

    /// <summary>Feature means of the training windows.</summary>
    public IReadOnlyList<double> Means => means;

    /// <summary>Feature standard deviations of the training windows (floored).</summary>
    public IReadOnlyList<double> Deviations => deviations;

    /// <summary>
    /// Trains a model on <paramref name="history"/> (rows of <see cref="Dimension"/> features) over the features that vary
    /// in it; null when fewer than two vary (no multivariate structure: a single series is the per-series monitor's job).
    /// The rank is at most one fewer than those features (randomized PCA asked for more components than the data has
    /// yields NaN eigenvectors).
    /// </summary>
    public static WorkloadPcaModel? Train(IReadOnlyList<double[]> history, int version, WorkloadPcaOptions options)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(history.Count, 2);
        var started = Stopwatch.GetTimestamp();
        var means = new double[Dimension];
        var deviations = new double[Dimension];
        for (var f = 0; f < Dimension; f++)
        {
            var mean = history.Average(row => row[f]);
            var variance = history.Sum(row => (row[f] - mean) * (row[f] - mean)) / (history.Count - 1);
            means[f] = mean;
            // A floor relative to the level: a constant feature stays 0 after scaling, a rising one still counts.
            deviations[f] = Math.Max(Math.Sqrt(variance), Math.Max(1e-9, Math.Abs(mean) * 0.01));
        }

        int[] used = [.. Enumerable.Range(0, Dimension).Where(f => history.Any(row => row[f] != history[0][f]))];
        if (used.Length < 2)
        {
            return null;
        }

        var rank = Math.Clamp(used.Length - 1, 1, options.Rank);
        var context = new MLContext(options.Seed);
        var rows = history.Select(row => new FeatureRow { Features = Standardise(row, means, deviations, used) }).ToList();
        var data = context.Data.LoadFromEnumerable(rows, Schema(used.Length));
        var trainer = context.AnomalyDetection.Trainers.RandomizedPca(new RandomizedPcaTrainer.Options
        {
            FeatureColumnName = nameof(FeatureRow.Features),
            Rank = rank,
            Seed = options.Seed,
            EnsureZeroMean = true,
        });
        var transformer = trainer.Fit(data);
        var model = new WorkloadPcaModel(context, transformer, means, deviations, used, version, double.NaN, history.Count, rank);
        var scores = history.Select(model.Score).Order().ToArray();
        var threshold = Math.Max(Quantile(scores, options.ThresholdQuantile) * options.ThresholdMargin, 1e-6);
        MetricsTelemetry.ModelTrainings.Add(1);
        MetricsTelemetry.ModelTrainingDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return new WorkloadPcaModel(context, transformer, means, deviations, used, version, threshold, history.Count, rank);
    }

    /// <summary>The anomaly score of one window's features: the absolute reconstruction error in standard deviations.</summary>
    public double Score(double[] features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var scaled = Standardise(features, means, deviations, used);
        var normalised = engine.Predict(new FeatureRow { Features = scaled }).Score;
        var length = 0.0;
        for (var f = 0; f < scaled.Length; f++)
        {
            length += (scaled[f] - center[f]) * (scaled[f] - center[f]);
        }

        return double.IsFinite(normalised) ? normalised * Math.Sqrt(length) : 0.0;
    }

    /// <summary>The feature that departs most from the training windows, in standard deviations.</summary>
    public (WorkloadFeature Feature, double Sigmas) Strongest(double[] features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var best = 0;
        for (var f = 1; f < Dimension; f++)
        {
            if (Math.Abs((features[f] - means[f]) / deviations[f]) > Math.Abs((features[best] - means[best]) / deviations[best]))
            {
                best = f;
            }
        }

        return ((WorkloadFeature)best, (features[best] - means[best]) / deviations[best]);
    }

    /// <summary>Writes the model (ML.NET's format), its scaling and threshold.</summary>
    public void Write(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Version);
        writer.Write(Threshold);
        writer.Write(TrainedOn);
        writer.Write(Rank);
        writer.Write(used.Length);
        foreach (var feature in used)
        {
            writer.Write(feature);
        }

        for (var f = 0; f < Dimension; f++)
        {
            writer.Write(means[f]);
            writer.Write(deviations[f]);
        }

        using var model = new MemoryStream();
        var schema = context.Data.LoadFromEnumerable(Array.Empty<FeatureRow>(), Schema(used.Length)).Schema;
        context.Model.Save(transformer, schema, model);
        writer.Write((int)model.Length);
        writer.Write(model.GetBuffer(), 0, (int)model.Length);
    }

    /// <summary>Reads a model written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a model.</exception>
    public static WorkloadPcaModel Read(BinaryReader reader, WorkloadPcaOptions options)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(options);
        var version = reader.ReadInt32();
        var threshold = reader.ReadDouble();
        var trainedOn = reader.ReadInt32();
        var rank = reader.ReadInt32();
        var count = reader.ReadInt32();
        if (count is < 2 or > Dimension)
        {
            throw new InvalidDataException($"a model over {count} features");
        }

        var used = new int[count];
        for (var i = 0; i < count; i++)
        {
            used[i] = reader.ReadInt32();
            if (used[i] is < 0 or >= Dimension)
            {
                throw new InvalidDataException($"feature {used[i]} out of range");
            }
        }

        var means = new double[Dimension];
        var deviations = new double[Dimension];
        for (var f = 0; f < Dimension; f++)
        {
            means[f] = reader.ReadDouble();
            deviations[f] = reader.ReadDouble();
        }

        var length = reader.ReadInt32();
        if (length <= 0)
        {
            throw new InvalidDataException($"model of {length} bytes");
        }

        var bytes = reader.ReadBytes(length);
        if (bytes.Length != length)
        {
            throw new InvalidDataException("the model is truncated");
        }

        var context = new MLContext(options.Seed);
        ITransformer transformer;
        try
        {
            using var model = new MemoryStream(bytes);
            transformer = context.Model.Load(model, out _);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or IOException or ArgumentException)
        {
            throw new InvalidDataException("the saved PCA model cannot be loaded", ex);
        }

        return new WorkloadPcaModel(context, transformer, means, deviations, used, version, threshold, trainedOn, rank);
    }

    // The training mean in the standardised space (ML.NET centres the data before the decomposition).
    private static SchemaDefinition Schema(int length)
    {
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
        return schema;
    }

    private static float[] Center(ITransformer transformer, int length)
    {
        // A loaded model is typed by its loader, not as the trainer typed it: look at the predictor itself.
        if (transformer is not IPredictionTransformer<object> { Model: PcaModelParameters pca })
        {
            throw new InvalidDataException($"not a PCA anomaly model ({transformer.GetType().Name})");
        }

        VBuffer<float> mean = default;
        pca.GetMean(ref mean);
        var dense = new float[length];
        if (mean.Length == length)
        {
            mean.CopyTo(dense);
        }

        return dense;
    }

    private static float[] Standardise(double[] row, double[] means, double[] deviations, int[] used)
    {
        var scaled = new float[used.Length];
        for (var i = 0; i < used.Length; i++)
        {
            var f = used[i];
            scaled[i] = (float)((row[f] - means[f]) / deviations[f]);
        }

        return scaled;
    }

    private static double Quantile(double[] sorted, double q)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }

        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }

    private sealed class FeatureRow
    {
        // Its length is set per model (SchemaDefinition): the features that varied in the history.
        public float[] Features { get; set; } = [];
    }

    private sealed class ScoreRow
    {
        public float Score { get; set; }

        public bool PredictedLabel { get; set; }
    }
}
