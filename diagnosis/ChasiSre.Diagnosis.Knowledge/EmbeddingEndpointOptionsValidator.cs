using Microsoft.Extensions.Options;

namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>Validates <see cref="EmbeddingEndpointOptions"/> (source-generated from its DataAnnotations).</summary>
[OptionsValidator]
public sealed partial class EmbeddingEndpointOptionsValidator : IValidateOptions<EmbeddingEndpointOptions>
{
}
