using Microsoft.Extensions.Options;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>Validates <see cref="LlmOptions"/> from its DataAnnotations (source-generated).</summary>
[OptionsValidator]
public sealed partial class LlmOptionsValidator : IValidateOptions<LlmOptions>
{
}
