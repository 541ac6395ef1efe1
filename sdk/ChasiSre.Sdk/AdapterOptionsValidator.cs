using Microsoft.Extensions.Options;

namespace ChasiSre.Sdk;

/// <summary>Validates <see cref="AdapterOptions"/> (source-generated from its DataAnnotations).</summary>
[OptionsValidator]
public sealed partial class AdapterOptionsValidator : IValidateOptions<AdapterOptions>
{
}
