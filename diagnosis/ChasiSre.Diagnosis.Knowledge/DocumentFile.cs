using System.Text;

namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>
/// Reads one file as a document, or says why not: too large (checked before reading), empty,
/// binary (a NUL byte in the first 8 KB), invalid UTF-8 (with the byte offset), unsupported type.
/// </summary>
public static class DocumentFile
{
    private const int BinaryProbeBytes = 8192;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The format for a file extension, or null when the type is not supported.</summary>
    public static DocumentFormat? FormatOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".MD" or ".MARKDOWN" => DocumentFormat.Markdown,
            ".TXT" or ".TEXT" => DocumentFormat.PlainText,
            ".HTML" or ".HTM" => DocumentFormat.Html,
            _ => null,
        };
    }

    /// <summary>Reads <paramref name="path"/>; the text on success, else the outcome (Skipped or Failed) and the reason.</summary>
    public static async Task<(string? Text, DocumentFormat Format, IngestOutcome Outcome, string? Reason)> ReadAsync(string path, long maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (FormatOf(path) is not { } format)
        {
            return (null, default, IngestOutcome.Skipped, $"unsupported file type '{Path.GetExtension(path)}' (supported: .md, .markdown, .txt, .text, .html, .htm)");
        }

        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return (null, format, IngestOutcome.Failed, "no such file");
        }

        if (info.Length > maxBytes)
        {
            return (null, format, IngestOutcome.Failed, $"file is {info.Length} bytes, over the {maxBytes}-byte limit (MaxDocumentBytes)");
        }

        if (info.Length == 0)
        {
            return (null, format, IngestOutcome.Skipped, "empty file");
        }

        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, format, IngestOutcome.Failed, $"unreadable: {e.Message}");
        }

        int nul = Array.IndexOf(bytes, (byte)0, 0, Math.Min(bytes.Length, BinaryProbeBytes));
        if (nul >= 0)
        {
            return (null, format, IngestOutcome.Skipped, $"binary file (NUL byte at offset {nul})");
        }

        int start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException e)
        {
            return (null, format, IngestOutcome.Failed, $"invalid UTF-8 at byte offset {start + e.Index}");
        }

        return string.IsNullOrWhiteSpace(text)
            ? (null, format, IngestOutcome.Skipped, "no text (whitespace only)")
            : (text, format, IngestOutcome.Indexed, null);
    }
}
