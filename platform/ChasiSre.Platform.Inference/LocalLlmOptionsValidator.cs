using Microsoft.Extensions.Options;

namespace ChasiSre.Platform.Inference;

/// <summary>Validates <see cref="LocalLlmOptions"/> (source-generated from its DataAnnotations).</summary>
[OptionsValidator]
public sealed partial class LocalLlmOptionsValidator : IValidateOptions<LocalLlmOptions>
{
}
