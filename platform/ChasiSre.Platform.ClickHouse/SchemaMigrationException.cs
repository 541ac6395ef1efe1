namespace ChasiSre.Platform.ClickHouse;

/// <summary>The migrations cannot be applied as they are: an applied migration changed or vanished.</summary>
public sealed class SchemaMigrationException : Exception
{
    public SchemaMigrationException()
    {
    }

    public SchemaMigrationException(string message)
        : base(message)
    {
    }

    public SchemaMigrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
