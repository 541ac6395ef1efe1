using ChasiSre.Schemas.V1;

namespace ChasiSre.Diagnosis.Evidence;

/// <summary>
/// One item of a pack that carries an id (<c>ev:3</c>), with what it came from, so that the ids a diagnosis cites
/// can be turned back into <see cref="EvidenceRef"/>s.
/// </summary>
/// <param name="Id">The id as printed without brackets, e.g. <c>log:7</c>.</param>
/// <param name="Section">The section it is in.</param>
/// <param name="RecordIds">The records it stands for: signal ids, event uids, log line ids, object uids, citations.</param>
/// <param name="Subject">The object it is about, when there is one.</param>
public sealed record EvidenceItem(string Id, EvidenceSection Section, IReadOnlyList<string> RecordIds, ObjectRef? Subject);
