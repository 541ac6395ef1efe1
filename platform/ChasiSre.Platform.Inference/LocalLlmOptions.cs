using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Platform.Inference;

/// <summary>Options of the local LLM runtime (LLamaSharp over any GGUF file).</summary>
public sealed class LocalLlmOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Inference:Llm";

    /// <summary>Path of the GGUF model file.</summary>
    [Required]
    public string ModelPath { get; set; } = string.Empty;

    /// <summary>Context window in tokens (prompt plus output); 0 takes the model's training context.</summary>
    [Range(0, 1 << 20)]
    public int ContextSize { get; set; } = 4096;

    /// <summary>CPU threads for generation; 0 lets llama.cpp choose.</summary>
    [Range(0, 1024)]
    public int Threads { get; set; }

    /// <summary>Default output token budget of a request.</summary>
    [Range(1, 1 << 20)]
    public int MaxTokens { get; set; } = 512;

    /// <summary>Default sampling seed (same seed, prompt and model give the same output).</summary>
    public uint Seed { get; set; } = 42;

    /// <summary>Default sampling temperature; 0 is greedy.</summary>
    [Range(0.0, 5.0)]
    public float Temperature { get; set; } = 0.2f;

    /// <summary>Requests generating at once (each has its own context; the weights are shared).</summary>
    [Range(1, 64)]
    public int MaxConcurrentRequests { get; set; } = 1;

    /// <summary>Model id reported through <c>IChatClient</c>; defaults to the GGUF file name.</summary>
    public string? ModelId { get; set; }
}
