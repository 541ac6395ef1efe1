using Microsoft.Extensions.Options;

namespace ChasiSre.Platform.Inference;

/// <summary>Validates <see cref="MiniLmOptions"/> (source-generated from its DataAnnotations).</summary>
[OptionsValidator]
public sealed partial class MiniLmOptionsValidator : IValidateOptions<MiniLmOptions>
{
}
