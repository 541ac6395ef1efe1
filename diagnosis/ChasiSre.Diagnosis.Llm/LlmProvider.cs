namespace ChasiSre.Diagnosis.Llm;

/// <summary>Which backend answers the diagnosis prompts.</summary>
public enum LlmProvider
{
    /// <summary>No LLM: the pipeline answers "no LLM configured" and the engine diagnoses with rules.</summary>
    Deterministic = 0,

    /// <summary>LLamaSharp (llama.cpp) over a local GGUF file, JSON held to the schema by a GBNF grammar.</summary>
    LlamaSharp,

    /// <summary>An OpenAI-compatible chat completions endpoint: OpenAI, DeepSeek, LocalAI, vLLM, llama.cpp server.</summary>
    OpenAI,

    /// <summary>Ollama's native <c>/api/chat</c> through OllamaSharp.</summary>
    Ollama,
}
