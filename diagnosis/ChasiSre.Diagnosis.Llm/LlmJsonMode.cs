namespace ChasiSre.Diagnosis.Llm;

/// <summary>How a JSON-schema response format is sent to the provider.</summary>
public enum LlmJsonMode
{
    /// <summary>Pass the schema through (<c>response_format: json_schema</c>, Ollama <c>format</c>, GBNF).</summary>
    Schema = 0,

    /// <summary>
    /// The provider only knows <c>response_format: json_object</c> (DeepSeek): the schema is downgraded to
    /// JSON mode and put into the system instructions.
    /// </summary>
    JsonObject,

    /// <summary>The provider knows no response format at all: the schema goes into the instructions only.</summary>
    PromptOnly,
}
