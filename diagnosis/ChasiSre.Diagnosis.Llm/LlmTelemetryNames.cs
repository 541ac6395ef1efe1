namespace ChasiSre.Diagnosis.Llm;

/// <summary>Names of the LLM pipeline's ActivitySource, Meter and instruments (dashboards depend on them).</summary>
public static class LlmTelemetryNames
{
    /// <summary>ActivitySource and Meter name (also the source of the <c>gen_ai</c> spans from UseOpenTelemetry).</summary>
    public const string SourceName = "ChasiSre.Diagnosis.Llm";

    /// <summary>Retries towards the provider ({retry}); tag <see cref="ReasonTag"/>.</summary>
    public const string Retries = "chasisre.diagnosis.llm.retries";

    /// <summary>Pseudonyms and secrets replaced in prompts ({item}); tag <see cref="KindTag"/> = pseudonym|secret.</summary>
    public const string Redactions = "chasisre.diagnosis.llm.redactions";

    /// <summary>Response cache lookups ({lookup}); tag <see cref="OutcomeTag"/> = hit|miss.</summary>
    public const string CacheLookups = "chasisre.diagnosis.llm.cache.lookups";

    /// <summary>Prompt tokens after the budget was applied ({token}).</summary>
    public const string PromptTokens = "chasisre.diagnosis.llm.prompt.tokens";

    /// <summary>Tag: why a retry happened (status code, timeout, blank, connection).</summary>
    public const string ReasonTag = "chasisre.llm.retry.reason";

    /// <summary>Tag: pseudonym or secret.</summary>
    public const string KindTag = "chasisre.llm.redaction.kind";

    /// <summary>Tag: hit or miss.</summary>
    public const string OutcomeTag = "chasisre.llm.cache.outcome";
}
