namespace ChasiSre.Schemas;

/// <summary>A record whose schema headers name a type or version this consumer cannot read.</summary>
public sealed class SchemaMismatchException : Exception
{
    public SchemaMismatchException()
    {
    }

    public SchemaMismatchException(string message)
        : base(message)
    {
    }

    public SchemaMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
