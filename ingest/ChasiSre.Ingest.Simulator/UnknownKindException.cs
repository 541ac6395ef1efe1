namespace ChasiSre.Ingest.Simulator;

/// <summary>An object of a kind the simulated API server has not registered.</summary>
public sealed class UnknownKindException : InvalidOperationException
{
    public UnknownKindException()
    {
    }

    public UnknownKindException(string message)
        : base(message)
    {
    }

    public UnknownKindException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
