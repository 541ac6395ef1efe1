using System.Diagnostics.Metrics;

namespace ChasiSre.Platform.Inference.Tests;

public sealed class InferenceTelemetryTests(TinyModelFixture model)
{
    [Fact]
    public async Task CompleteAsync_RecordsTokensAndDurationUnderPublishedNames()
    {
        var recorded = new System.Collections.Concurrent.ConcurrentBag<(string Instrument, double Value, string? TokenType)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == InferenceTelemetryNames.SourceName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => recorded.Add((instrument.Name, value, TokenType(tags))));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => recorded.Add((instrument.Name, value, TokenType(tags))));
        listener.Start();

        var completion = await model.Llm.CompleteAsync(new LlmRequest("metrics") { MaxTokens = 4 }, TestContext.Current.CancellationToken);

        Assert.Contains(recorded, r => r.Instrument == InferenceTelemetryNames.LlmTokens && r.TokenType == "output" && r.Value == completion.CompletionTokens);
        Assert.Contains(recorded, r => r.Instrument == InferenceTelemetryNames.LlmTokens && r.TokenType == "input" && r.Value == completion.PromptTokens);
        Assert.Contains(recorded, r => r.Instrument == InferenceTelemetryNames.LlmDuration && r.Value > 0);
    }

    private static string? TokenType(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == InferenceTelemetryNames.TokenTypeTag)
            {
                return tag.Value as string;
            }
        }

        return null;
    }
}
