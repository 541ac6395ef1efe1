using System.ComponentModel.DataAnnotations;

namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>How documents are cut into chunks.</summary>
public sealed class ChunkingOptions
{
    /// <summary>Longest chunk text in characters; a longer section is split between blocks (paragraphs, lists, code blocks), a longer block between lines.</summary>
    [Range(200, 20_000)]
    public int MaxChunkChars { get; set; } = 1800;

    /// <summary>Sections shorter than this (after trimming) are merged into the next block of text rather than indexed alone, unless they are the last.</summary>
    [Range(0, 1000)]
    public int MinChunkChars { get; set; } = 1;
}
