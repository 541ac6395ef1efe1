namespace ChasiSre.Streams.K8sGpt;

/// <summary>One error k8sgpt reported about an object (<c>spec.error[]</c> of a Result, <c>ErrorDetail</c> on the wire).</summary>
/// <param name="Text">The text as k8sgpt wrote it; may contain the values of <paramref name="Sensitive"/>.</param>
/// <param name="Sensitive">Values inside <paramref name="Text"/> to mask.</param>
public sealed record K8sGptError(string Text, IReadOnlyList<K8sGptSensitive> Sensitive)
{
    /// <summary><see cref="Text"/> with every sensitive value replaced by its mask: the only form ChasiSre publishes.</summary>
    public string MaskedText => K8sGptMasking.Mask(Text, Sensitive);
}
