namespace ChasiSre.Api;

/// <summary>A page of incidents, newest opened first; pass <see cref="NextCursor"/> as <c>cursor</c> for the next page (null: last page).</summary>
public sealed record IncidentPage(IReadOnlyList<IncidentSummary> Items, string? NextCursor);
