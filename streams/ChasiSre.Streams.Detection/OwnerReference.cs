namespace ChasiSre.Streams.Detection;

/// <summary>One entry of metadata.ownerReferences.</summary>
internal sealed record OwnerReference(string ApiVersion, string Kind, string Name, string Uid, bool Controller);
