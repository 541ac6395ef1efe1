namespace ChasiSre.Diagnosis.Evidence;

/// <summary>One retrieved knowledge chunk as the pack shows it.</summary>
/// <param name="Citation">The citation a diagnosis gives for it, e.g. <c>kb:runbooks/oomkilled.md#limit-too-low-or-a-leak</c>.</param>
/// <param name="Heading">The chunk's heading path.</param>
/// <param name="Text">The chunk's text.</param>
public sealed record KnowledgeEvidence(string Citation, string Heading, string Text);
