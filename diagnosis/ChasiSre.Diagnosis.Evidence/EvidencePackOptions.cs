using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Diagnosis.Evidence;

/// <summary>Options of <see cref="EvidencePackBuilder"/> (section <c>EvidencePack</c>).</summary>
public sealed class EvidencePackOptions
{
    public const string SectionName = "EvidencePack";

    /// <summary>The default token budget: 1.5k cl100k tokens.</summary>
    public const int DefaultMaxTokens = 1500;

    /// <summary>Token budget of the whole pack, counted with the cl100k_base tokenizer.</summary>
    [Range(128, 1_000_000)]
    public int MaxTokens { get; set; } = DefaultMaxTokens;

    /// <summary>Longest printed line in characters; longer ones are cut with an ellipsis.</summary>
    [Range(60, 10_000)]
    public int MaxLineChars { get; set; } = 320;

    /// <summary>Longest signal line (message or evidence line): the detectors' facts get more room than other lines.</summary>
    [Range(60, 20_000)]
    public int MaxSignalLineChars { get; set; } = 640;

    /// <summary>Signals printed at most.</summary>
    [Range(1, 1000)]
    public int MaxSignals { get; set; } = 12;

    /// <summary>Evidence lines printed under one signal at most.</summary>
    [Range(0, 100)]
    public int MaxSignalEvidenceLines { get; set; } = 8;

    /// <summary>Deduplicated events printed at most.</summary>
    [Range(0, 1000)]
    public int MaxEvents { get; set; } = 12;

    /// <summary>Log lines printed at most, over every container.</summary>
    [Range(0, 1000)]
    public int MaxLogLines { get; set; } = 24;

    /// <summary>Log lines printed at most for one container (one pod, container and previous/current).</summary>
    [Range(1, 1000)]
    public int MaxLogLinesPerContainer { get; set; } = 8;

    /// <summary>Lines kept before each error line of a container's log.</summary>
    [Range(0, 20)]
    public int LogContextBefore { get; set; } = 2;

    /// <summary>Lines kept after each error line.</summary>
    [Range(0, 20)]
    public int LogContextAfter { get; set; } = 1;

    /// <summary>Objects printed at most.</summary>
    [Range(0, 200)]
    public int MaxObjects { get; set; } = 8;

    /// <summary>Tokens one object may take at most; its trailing lines are cut beyond that.</summary>
    [Range(32, 100_000)]
    public int MaxObjectTokens { get; set; } = 320;

    /// <summary>Metric items (anomalies and series) printed at most.</summary>
    [Range(0, 1000)]
    public int MaxMetrics { get; set; } = 6;

    /// <summary>Business items printed at most.</summary>
    [Range(0, 1000)]
    public int MaxBusinessItems { get; set; } = 8;

    /// <summary>Knowledge chunks printed at most.</summary>
    [Range(0, 100)]
    public int MaxKnowledgeChunks { get; set; } = 3;

    /// <summary>Characters of one knowledge chunk's text printed at most.</summary>
    [Range(60, 100_000)]
    public int MaxKnowledgeChars { get; set; } = 700;

    /// <summary>
    /// Tokens kept back for the knowledge section when there is knowledge: without a reserve the lowest-priority section
    /// rarely fits, and a diagnosis could cite no runbook. The other sections share the rest; knowledge gets the reserve
    /// plus whatever they left.
    /// </summary>
    [Range(0, 2000)]
    public int KnowledgeReserveTokens { get; set; } = 200;
}
