namespace ChasiSre.Cli.Analyze;

/// <summary>The dump or the cluster <c>chasi analyze</c> was pointed at cannot be read; the message says what and why
/// (exit code 2).</summary>
internal sealed class AnalyzeSourceException : Exception
{
    public AnalyzeSourceException()
        : base("the source cannot be analyzed")
    {
    }

    public AnalyzeSourceException(string message)
        : base(message)
    {
    }

    public AnalyzeSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
