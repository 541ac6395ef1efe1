using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>A remote embeddings endpoint, used instead of the local MiniLM when configured.</summary>
public sealed class EmbeddingEndpointOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Diagnosis:Knowledge:Embeddings";

    /// <summary>Wire format.</summary>
    public EmbeddingProtocol Protocol { get; set; } = EmbeddingProtocol.OpenAi;

    /// <summary>Base address, e.g. <c>http://ollama:11434</c> or <c>https://api.openai.com</c>; the protocol's path is appended.</summary>
    [Required]
    public Uri? Endpoint { get; set; }

    /// <summary>Model name, e.g. <c>nomic-embed-text</c> or <c>text-embedding-3-small</c>.</summary>
    [Required]
    [MinLength(1)]
    public string Model { get; set; } = string.Empty;

    /// <summary>Bearer token, if the endpoint needs one.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Requested dimensions (OpenAI <c>dimensions</c>), if the model supports shortening.</summary>
    [Range(1, 65536)]
    public int? Dimensions { get; set; }

    /// <summary>Inputs per request.</summary>
    [Range(1, 2048)]
    public int BatchSize { get; set; } = 64;

    /// <summary>Timeout of one request.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);
}
