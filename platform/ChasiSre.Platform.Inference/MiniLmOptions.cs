using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Platform.Inference;

/// <summary>Options of the MiniLM sentence embedder.</summary>
public sealed class MiniLmOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Inference:Embeddings";

    /// <summary>ONNX Runtime intra-op threads; 0 lets ONNX Runtime choose (one per core).</summary>
    [Range(0, 1024)]
    public int IntraOpThreads { get; set; }

    /// <summary>Sentences encoded per ONNX Runtime call.</summary>
    [Range(1, 4096)]
    public int BatchSize { get; set; } = 32;
}
