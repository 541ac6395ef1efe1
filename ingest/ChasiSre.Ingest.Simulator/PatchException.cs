namespace ChasiSre.Ingest.Simulator;

/// <summary>A patch that cannot be applied; the write handler answers it with a <c>Status</c> of <see cref="Code"/>.</summary>
internal sealed class PatchException : Exception
{
    public PatchException(string message, int code = 400)
        : base(message)
    {
        Code = code;
    }

    public PatchException()
    {
    }

    public PatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>400 (malformed patch) or 422 (a JSON patch <c>test</c> failed, a path does not exist).</summary>
    public int Code { get; } = 400;
}
