using ChasiSre.Streams.K8sGpt.Protocol;
using Grpc.Core;

namespace ChasiSre.Streams.K8sGpt.Tests;

/// <summary>A k8sgpt custom analyzer answering Run with whatever the test set last.</summary>
internal sealed class CannedAnalyzer : CustomAnalyzerService.CustomAnalyzerServiceBase
{
    private volatile RunResponse response = new();
    private int calls;

    public int Calls => Volatile.Read(ref calls);

    public TimeSpan Delay { get; set; }

    public void Answer(Result? result) => response = result is null ? new RunResponse() : new RunResponse { Result = result };

    public override async Task<RunResponse> Run(RunRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref calls);
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, context.CancellationToken);
        }

        return response;
    }
}
