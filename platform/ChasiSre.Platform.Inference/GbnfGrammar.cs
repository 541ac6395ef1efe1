namespace ChasiSre.Platform.Inference;

/// <summary>
/// A grammar in llama.cpp's GBNF notation that constrains generation token by token.
/// </summary>
/// <param name="Text">The GBNF rules.</param>
/// <param name="Root">The rule generation starts from.</param>
public sealed record GbnfGrammar(string Text, string Root = "root")
{
    /// <inheritdoc />
    public override string ToString() => Text;
}
