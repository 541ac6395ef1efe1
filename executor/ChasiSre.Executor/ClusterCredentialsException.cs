namespace ChasiSre.Executor;

/// <summary>The executor has no credentials for a cluster an action targets: the action fails with this reason.</summary>
public sealed class ClusterCredentialsException : Exception
{
    public ClusterCredentialsException()
    {
    }

    public ClusterCredentialsException(string message)
        : base(message)
    {
    }

    public ClusterCredentialsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
