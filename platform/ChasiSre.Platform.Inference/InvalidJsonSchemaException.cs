namespace ChasiSre.Platform.Inference;

/// <summary>
/// A JSON schema that the GBNF compiler cannot turn into a grammar: malformed, contradictory,
/// or using a keyword outside the supported subset. <see cref="SchemaPath"/> points at the culprit.
/// </summary>
public sealed class InvalidJsonSchemaException : Exception
{
    public InvalidJsonSchemaException()
        : this("The JSON schema is invalid.")
    {
    }

    public InvalidJsonSchemaException(string message)
        : this(message, "#")
    {
    }

    public InvalidJsonSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
        SchemaPath = "#";
    }

    public InvalidJsonSchemaException(string message, string schemaPath)
        : base($"Invalid JSON schema at '{schemaPath}': {message}")
    {
        SchemaPath = schemaPath;
    }

    /// <summary>JSON pointer (as a URI fragment, e.g. <c>#/properties/tags/items</c>) of the offending schema.</summary>
    public string SchemaPath { get; }
}
