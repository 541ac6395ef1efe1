using Microsoft.Extensions.Options;

namespace ChasiSre.Streams.Correlation;

/// <summary>Validates <see cref="CorrelationOptions"/> (source-generated from its DataAnnotations and <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>).</summary>
[OptionsValidator]
public sealed partial class CorrelationOptionsValidator : IValidateOptions<CorrelationOptions>
{
}
