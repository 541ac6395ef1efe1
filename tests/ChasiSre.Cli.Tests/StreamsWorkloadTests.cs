using System.Text.Json;
using ChasiSre.Cli.Bench.Streams;
using ChasiSre.Schemas.V1;

namespace ChasiSre.Cli.Tests;

public sealed class StreamsWorkloadTests
{
    [Fact]
    public void ValueFor_LaterRound_IsANewVersionOfTheSameObject()
    {
        var pool = StreamsWorkload.Pool(200, seed: 7);
        var pod = pool.First(r => r.Topic == StreamsWorkload.Objects);

        var first = ObjectRecord.Parser.ParseFrom(pod.ValueFor(0)).Snapshot;
        var third = ObjectRecord.Parser.ParseFrom(pod.ValueFor(2)).Snapshot;

        // The snapshot's resourceVersion and its JSON's metadata.resourceVersion move together, round by round.
        Assert.Equal(StreamsWorkload.ResourceVersion(0, pod.Pod).ToString(System.Globalization.CultureInfo.InvariantCulture), first.ResourceVersion);
        Assert.Equal(StreamsWorkload.ResourceVersion(2, pod.Pod).ToString(System.Globalization.CultureInfo.InvariantCulture), third.ResourceVersion);
        using var json = JsonDocument.Parse(third.ObjectJson.Memory);
        Assert.Equal(third.ResourceVersion, json.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString());
        Assert.Equal(first.Ref, third.Ref);
        Assert.Equal(first.ObjectJson.Length, third.ObjectJson.Length);
        Assert.NotEqual(first.ObjectJson, third.ObjectJson);
    }

    [Fact]
    public void ValueFor_EventsAndLogLines_AreTheSameRecordEveryRound()
    {
        var pool = StreamsWorkload.Pool(200, seed: 7);

        foreach (var record in pool.Where(r => r.Topic != StreamsWorkload.Objects))
        {
            Assert.Same(record.Value, record.ValueFor(5));
        }
    }

    [Fact]
    public void ResourceVersion_PastTwelveDigits_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StreamsWorkload.ResourceVersion(900_000, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => StreamsWorkload.ResourceVersion(0, 1_000_000));
    }
}
