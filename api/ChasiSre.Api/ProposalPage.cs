namespace ChasiSre.Api;

/// <summary>A page of action proposals, newest diagnosis first; pass <see cref="NextOffset"/> as <c>offset</c> for the next page (null: last page).</summary>
public sealed record ProposalPage(IReadOnlyList<ActionProposal> Items, int Offset, int? NextOffset);
