using Microsoft.Extensions.Options;

namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>Validates <see cref="KnowledgeBaseOptions"/>: DataAnnotations (source-generated) here, cross-field rules in <see cref="Check"/>.</summary>
[OptionsValidator]
public sealed partial class KnowledgeBaseOptionsValidator : IValidateOptions<KnowledgeBaseOptions>
{
    /// <summary>Message of the cross-field rule on the Qdrant endpoint.</summary>
    public const string QdrantEndpointRequired = "QdrantEndpoint is required when VectorStore is Qdrant.";

    /// <summary>Every rule: the DataAnnotations and the cross-field ones.</summary>
    public static ValidateOptionsResult Check(KnowledgeBaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new KnowledgeBaseOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            return result;
        }

        return HasQdrantEndpointWhenNeeded(options) ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(QdrantEndpointRequired);
    }

    /// <summary>The cross-field rule: Qdrant needs an endpoint.</summary>
    public static bool HasQdrantEndpointWhenNeeded(KnowledgeBaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.VectorStore != VectorStoreKind.Qdrant || options.QdrantEndpoint is not null;
    }
}
