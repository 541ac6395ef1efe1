namespace ChasiSre.Diagnosis.Evidence;

/// <summary>
/// One printable item: its lines (the first carries the id, if any) and whether its trailing lines may be cut to fit
/// the budget (multi-line items: signals with evidence, objects, knowledge chunks).
/// </summary>
internal sealed record PackItem(EvidenceItem? Source, IReadOnlyList<string> Lines, bool Trimmable);
