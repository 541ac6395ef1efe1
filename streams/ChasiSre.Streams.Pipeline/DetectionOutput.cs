using ChasiSre.Schemas.V1;

namespace ChasiSre.Streams.Pipeline;

/// <summary>What the detection processor forwards: an incident or a signal (split into their topics right after the
/// processor, in the same sub-topology, so this type is never serialized).</summary>
internal sealed record DetectionOutput(Incident? Incident, Signal? Signal);
