using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace ChasiSre.Platform.Inference;

/// <summary>Similarity of embedding vectors.</summary>
public static class EmbeddingSimilarity
{
    /// <summary>Cosine similarity in [-1, 1] (SIMD); for unit vectors equal to the dot product.</summary>
    public static float Cosine(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        if (left.Length != right.Length)
        {
            throw new ArgumentException($"Vectors differ in length ({left.Length} and {right.Length}).", nameof(right));
        }

        return TensorPrimitives.CosineSimilarity(left, right);
    }

    /// <summary>Cosine similarity of two embeddings.</summary>
    public static float Cosine(Embedding<float> left, Embedding<float> right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return Cosine(left.Vector.Span, right.Vector.Span);
    }
}
