namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>The wire format of a remote embeddings endpoint.</summary>
public enum EmbeddingProtocol
{
    /// <summary><c>POST /v1/embeddings</c> with <c>{"model","input":[…]}</c> → <c>{"data":[{"index","embedding"}]}</c> (OpenAI, LocalAI, vLLM, llama.cpp server).</summary>
    OpenAi,

    /// <summary><c>POST /api/embed</c> with <c>{"model","input":[…]}</c> → <c>{"embeddings":[[…]]}</c> (Ollama).</summary>
    Ollama,
}
