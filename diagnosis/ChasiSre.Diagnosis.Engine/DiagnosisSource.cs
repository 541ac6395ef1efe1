namespace ChasiSre.Diagnosis.Engine;

/// <summary>Where a diagnosis came from.</summary>
public enum DiagnosisSource
{
    /// <summary>The model's first answer, valid.</summary>
    Llm,

    /// <summary>The model's answer after the one repair round.</summary>
    LlmRepaired,

    /// <summary>Rules: no LLM is configured.</summary>
    Rules,

    /// <summary>Rules, because the model's answer stayed invalid after the repair round.</summary>
    RulesAfterInvalidAnswer,

    /// <summary>Rules, because the LLM call failed (timeout, provider error, budget).</summary>
    RulesAfterLlmFailure,
}
