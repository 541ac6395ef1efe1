using System.Text.Json.Nodes;

namespace ChasiSre.Ingest.Simulator;

/// <summary>What a write decided, given the current object: the object to store, or a <c>Status</c> failure.</summary>
internal sealed record StoreMutation(JsonObject? Object, JsonObject? Failure)
{
    public static StoreMutation Write(JsonObject obj) => new(obj, null);

    public static StoreMutation Fail(JsonObject status) => new(null, status);
}

/// <summary>
/// The outcome of a store write: what was (or, in a dry run, would have been) stored or deleted, a copy the
/// caller owns; the object before the write; or the failure the mutation returned.
/// </summary>
internal sealed record StoreWriteResult(JsonObject? Object, StoredObject? Previous, JsonObject? Failure);
