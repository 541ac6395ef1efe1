using Microsoft.Extensions.Options;

namespace ChasiSre.Streams.Metrics;

/// <summary>Validates <see cref="MetricAnomalyOptions"/> (source-generated from its DataAnnotations and <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>).</summary>
[OptionsValidator]
public sealed partial class MetricAnomalyOptionsValidator : IValidateOptions<MetricAnomalyOptions>
{
}
