namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>How a document's text is structured; decides how it is chunked.</summary>
public enum DocumentFormat
{
    /// <summary>Markdown (CommonMark headings, lists, fenced code, optional <c>---</c> front matter).</summary>
    Markdown,

    /// <summary>Plain text: paragraphs separated by blank lines.</summary>
    PlainText,

    /// <summary>HTML: <c>h1</c>-<c>h6</c>, lists and <c>pre</c> are mapped to their Markdown equivalents.</summary>
    Html,
}
