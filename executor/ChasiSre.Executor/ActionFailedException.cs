namespace ChasiSre.Executor;

/// <summary>An action cannot go on for a reason that belongs in its audit record (a precondition, a refusal): it fails, the executor carries on.</summary>
internal sealed class ActionFailedException(string message, Exception? inner = null) : Exception(message, inner);
