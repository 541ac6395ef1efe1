using Microsoft.Extensions.Options;

namespace ChasiSre.Sdk;

/// <summary>The rule DataAnnotations cannot express: a token (or token file) unless anonymous access is allowed explicitly.</summary>
internal sealed class AdapterTokenRule : IValidateOptions<AdapterOptions>
{
    public ValidateOptionsResult Validate(string? name, AdapterOptions options) =>
        !options.AllowAnonymous && string.IsNullOrEmpty(options.Token) && string.IsNullOrEmpty(options.TokenFile)
            ? ValidateOptionsResult.Fail($"{AdapterOptions.SectionName} needs Token or TokenFile (or AllowAnonymous=true for local development).")
            : ValidateOptionsResult.Success;
}
