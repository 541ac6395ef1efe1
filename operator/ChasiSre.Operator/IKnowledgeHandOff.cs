namespace ChasiSre.Operator;

/// <summary>Where the operator hands a KnowledgeSource's documents to the knowledge base.</summary>
public interface IKnowledgeHandOff
{
    /// <summary>Publishes the whole listing; returns once it is durable.</summary>
    Task PublishAsync(KnowledgeBatch batch, CancellationToken cancellationToken = default);
}
