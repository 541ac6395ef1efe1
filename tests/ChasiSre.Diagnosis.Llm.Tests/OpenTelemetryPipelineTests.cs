using System.Collections.Concurrent;
using System.Diagnostics;
using ChasiSre.TestKit;

namespace ChasiSre.Diagnosis.Llm.Tests;

public sealed class OpenTelemetryPipelineTests
{
    private const string Path = "/v1/chat/completions";

    [Fact]
    public async Task GetResponseAsync_PipelineSpans_CarryNoPromptOrAnswerText()
    {
        var ct = TestContext.Current.CancellationToken;
        string marker = "prompt-marker-" + Guid.NewGuid().ToString("N");
        var activities = new ConcurrentQueue<Activity>();
        using var testSource = new ActivitySource("test-" + Guid.NewGuid().ToString("N"));
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == LlmTelemetryNames.SourceName || source == testSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("gen_ai.request.model") is not null)
                {
                    activities.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = await FakeProviderServer.StartAsync(Path, ct);
        server.Then(OpenAIWire.Json(OpenAIWire.Completion("answer-marker")));
        using var factory = LlmTestPipelines.Factory(LlmTestPipelines.OpenAI(server.BaseUri));

        // Other tests run in parallel: only this test's trace counts.
        ActivityTraceId trace;
        using (var parent = testSource.StartActivity("test"))
        {
            trace = parent!.TraceId;
            await factory.ChatClient.GetResponseAsync(LlmTestPipelines.Messages(marker), cancellationToken: ct);
        }

        var activity = Assert.Single(activities, a => a.TraceId == trace);
        Assert.Equal(OpenAIWire.Model, (string?)activity.GetTagItem("gen_ai.request.model"));
        var recorded = string.Join('\n', activity.TagObjects.Select(t => $"{t.Key}={t.Value}")
            .Concat(activity.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}"))));
        Assert.Contains("gen_ai", recorded, StringComparison.Ordinal);
        Assert.DoesNotContain(marker, recorded, StringComparison.Ordinal);
        Assert.DoesNotContain("answer-marker", recorded, StringComparison.Ordinal);
    }
}
