using System.Text;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>
/// Restores tokens in streamed text. A token may arrive split over chunks (<c>"&lt;po"</c>, <c>"d-3&gt;"</c>),
/// so a tail that could still become a token is held back until the next chunk or the end.
/// </summary>
internal sealed class StreamingTokenRestorer(Pseudonymizer pseudonymizer)
{
    private readonly StringBuilder _held = new();

    public string Push(string chunk)
    {
        _held.Append(chunk);
        string text = _held.ToString();
        int cut = Pseudonymizer.IncompleteTokenStart(text);
        string ready = cut < 0 ? text : text[..cut];
        _held.Clear();
        if (cut >= 0)
        {
            _held.Append(text, cut, text.Length - cut);
        }

        return pseudonymizer.Restore(ready);
    }

    public string Flush()
    {
        string text = _held.ToString();
        _held.Clear();
        return pseudonymizer.Restore(text);
    }
}
