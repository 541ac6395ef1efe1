using Microsoft.Extensions.Options;

namespace ChasiSre.Ingest.Gateway;

/// <summary>Checks <see cref="GatewayOptions"/>' DataAnnotations (source-generated) and the rules that span properties.</summary>
[OptionsValidator]
public sealed partial class GatewayOptionsValidator : IValidateOptions<GatewayOptions>;
