using Microsoft.Extensions.Options;

namespace ChasiSre.Streams.Metrics;

/// <summary>Validates <see cref="BusinessHealthOptions"/> (source-generated from its DataAnnotations).</summary>
[OptionsValidator]
public sealed partial class BusinessHealthOptionsValidator : IValidateOptions<BusinessHealthOptions>
{
}
