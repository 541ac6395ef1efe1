namespace ChasiSre.Ingest.Scenarios;

/// <summary>A file of a cluster dump could not be read; <see cref="File"/> names it.</summary>
public sealed class ClusterDumpException : Exception
{
    public ClusterDumpException(string file, string reason, Exception? innerException = null)
        : base($"{file}: {reason}", innerException)
    {
        File = file;
    }

    public ClusterDumpException()
        : this("", "the cluster dump could not be read")
    {
    }

    public ClusterDumpException(string message)
        : this("", message)
    {
    }

    public ClusterDumpException(string message, Exception innerException)
        : this("", message, innerException)
    {
    }

    /// <summary>Full path of the offending file.</summary>
    public string File { get; }
}
