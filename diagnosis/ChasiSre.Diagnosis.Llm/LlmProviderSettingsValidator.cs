using Microsoft.Extensions.Options;

namespace ChasiSre.Diagnosis.Llm;

/// <summary>Checks that <see cref="LlmOptions"/> names everything its provider needs.</summary>
internal sealed class LlmProviderSettingsValidator : IValidateOptions<LlmOptions>
{
    public ValidateOptionsResult Validate(string? name, LlmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        switch (options.Provider)
        {
            case LlmProvider.Deterministic:
                break;
            case LlmProvider.LlamaSharp:
                if (string.IsNullOrWhiteSpace(options.ModelPath))
                {
                    failures.Add($"{LlmOptions.SectionName}:ModelPath is required when Provider is LlamaSharp (path of a GGUF file).");
                }

                break;
            case LlmProvider.OpenAI:
                if (string.IsNullOrWhiteSpace(options.Model))
                {
                    failures.Add($"{LlmOptions.SectionName}:Model is required when Provider is OpenAI.");
                }

                if (options.Endpoint is null && string.IsNullOrEmpty(options.ApiKey))
                {
                    failures.Add($"{LlmOptions.SectionName}: set Endpoint for an OpenAI-compatible server, or ApiKey for api.openai.com.");
                }

                break;
            case LlmProvider.Ollama:
                if (string.IsNullOrWhiteSpace(options.Model))
                {
                    failures.Add($"{LlmOptions.SectionName}:Model is required when Provider is Ollama.");
                }

                break;
            default:
                failures.Add($"{LlmOptions.SectionName}:Provider '{options.Provider}' is not one of Deterministic, LlamaSharp, OpenAI, Ollama.");
                break;
        }

        if (options.Endpoint is { } endpoint && (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add($"{LlmOptions.SectionName}:Endpoint must be an absolute http(s) URI.");
        }

        if (options.StreamIdleTimeout > options.RequestTimeout)
        {
            failures.Add($"{LlmOptions.SectionName}:StreamIdleTimeout must not exceed RequestTimeout.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
