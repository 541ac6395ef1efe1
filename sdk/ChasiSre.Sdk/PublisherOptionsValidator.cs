using Microsoft.Extensions.Options;

namespace ChasiSre.Sdk;

/// <summary>Validates <see cref="PublisherOptions"/> (source-generated from its DataAnnotations).</summary>
[OptionsValidator]
public sealed partial class PublisherOptionsValidator : IValidateOptions<PublisherOptions>
{
}
