namespace ChasiSre.Platform.Inference;

/// <summary>
/// Bounds the JSON Schema to GBNF compiler applies where a schema leaves a size open, so that
/// constrained generation always ends (a tiny or confused model never loops forever).
/// </summary>
public sealed record JsonSchemaGbnfOptions
{
    /// <summary>The defaults.</summary>
    public static JsonSchemaGbnfOptions Default { get; } = new();

    /// <summary>Maximum characters of a string without <c>maxLength</c>.</summary>
    public int DefaultMaxStringLength { get; init; } = 256;

    /// <summary>Maximum items of an array without <c>maxItems</c>.</summary>
    public int DefaultMaxItems { get; init; } = 16;

    /// <summary>Maximum digits of the integer part of a number or integer.</summary>
    public int MaxIntegerDigits { get; init; } = 15;

    /// <summary>Maximum digits after the decimal point of a number.</summary>
    public int MaxFractionDigits { get; init; } = 6;

    /// <summary>Integer ranges (both <c>minimum</c> and <c>maximum</c>) up to this many values are enforced exactly by listing them.</summary>
    public int MaxEnumeratedIntegerRange { get; init; } = 256;
}
