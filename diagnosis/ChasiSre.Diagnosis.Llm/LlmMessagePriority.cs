using Microsoft.Extensions.AI;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>
/// How expendable a message is when the prompt exceeds the token budget. 0 (or none set) means
/// required; a larger number is dropped earlier. Among equal priorities the later message goes first.
/// </summary>
public static class LlmMessagePriority
{
    /// <summary>Key in <see cref="ChatMessage.AdditionalProperties"/>.</summary>
    public const string PropertyName = "chasi.priority";

    /// <summary>Required content: never dropped.</summary>
    public const int Required = 0;

    /// <summary>Marks <paramref name="message"/> with <paramref name="priority"/> and returns it.</summary>
    public static ChatMessage WithPriority(this ChatMessage message, int priority)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfNegative(priority);
        message.AdditionalProperties ??= [];
        message.AdditionalProperties[PropertyName] = priority;
        return message;
    }

    /// <summary>The message's priority; <see cref="Required"/> when none is set.</summary>
    public static int GetPriority(this ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.AdditionalProperties?.TryGetValue(PropertyName, out var value) == true
            ? Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)
            : Required;
    }
}
