namespace ChasiSre.Api;

/// <summary>A page of actions, newest created first; pass <see cref="NextCursor"/> as <c>cursor</c> for the next page (null: last page).</summary>
public sealed record ActionPage(IReadOnlyList<ActionView> Items, string? NextCursor);
