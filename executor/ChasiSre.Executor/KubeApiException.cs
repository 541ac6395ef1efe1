using System.Net;

namespace ChasiSre.Executor;

/// <summary>The apiserver refused a request; <see cref="Exception.Message"/> carries its <c>Status</c> message.</summary>
internal sealed class KubeApiException(HttpStatusCode status, string message, Exception? inner = null) : Exception(message, inner)
{
    public HttpStatusCode Status { get; } = status;

    public bool IsConflict => Status == HttpStatusCode.Conflict;
}
