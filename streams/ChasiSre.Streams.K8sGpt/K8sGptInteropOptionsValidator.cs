using Microsoft.Extensions.Options;

namespace ChasiSre.Streams.K8sGpt;

/// <summary>Validates <see cref="K8sGptInteropOptions"/> and every analyzer in it (source-generated from their DataAnnotations).</summary>
[OptionsValidator]
public sealed partial class K8sGptInteropOptionsValidator : IValidateOptions<K8sGptInteropOptions>
{
}
