using System.Text.Json;

namespace ChasiSre.Ingest;

/// <summary>What a watcher saw: an object that exists now (<paramref name="Deleted"/> false) or one that is gone.</summary>
/// <param name="Resource">The resource it belongs to.</param>
/// <param name="Value">The object (for a deletion noticed by a relist, only its identity); valid only during the call that hands it over.</param>
/// <param name="Deleted">True when the object no longer exists.</param>
/// <param name="FromList">True when seen during a (re)list rather than as a watch event.</param>
/// <param name="Watcher">The watcher that saw it, so a failed publish can ask it to resynchronise.</param>
public sealed record ResourceChange(KubeResource Resource, JsonElement Value, bool Deleted, bool FromList, ResourceWatcher Watcher);
