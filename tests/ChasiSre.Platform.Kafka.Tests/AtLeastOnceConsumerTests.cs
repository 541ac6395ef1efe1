using System.Collections.Concurrent;
using System.Text;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Confluent.Kafka;

namespace ChasiSre.Platform.Kafka.Tests;

public sealed class AtLeastOnceConsumerTests(EmbeddedKafkaFixture kafka)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RunAsync_TwoMembersOfOneGroup_ShareThePartitionsAndCommitOnStop()
    {
        var ct = TestContext.Current.CancellationToken;
        var factory = kafka.Factory();
        var topic = kafka.NewTopic(ObjectRecord.Descriptor, partitions: 3);
        var group = $"g-{Guid.NewGuid():N}";
        const int count = 600;
        using (var producer = factory.CreateProducer<ObjectRecord>("test"))
        {
            for (var i = 0; i < count; i++)
            {
                producer.Produce(topic, $"team-a/Pod/shop/checkout-{i}", Records.Pod(i));
            }

            producer.Flush(ct);
        }

        var seen = new ConcurrentDictionary<int, int>();
        var byMember = new ConcurrentDictionary<int, byte>[] { new(), new() };
        var stops = Enumerable.Range(0, 2).Select(_ => CancellationTokenSource.CreateLinkedTokenSource(ct)).ToArray();
        var members = Enumerable.Range(0, 2).Select(m => factory.CreateConsumer<ObjectRecord>("test", group, [topic.Name], (r, _) =>
        {
            var n = Records.Number(r.Value!);
            seen.AddOrUpdate(n, 1, (_, c) => c + 1);
            byMember[m][r.Partition] = 0;
            return ValueTask.CompletedTask;
        })).ToArray();
        var runs = members.Select((m, i) => m.RunAsync(stops[i].Token)).ToArray();

        var sw = System.Diagnostics.Stopwatch.StartNew();
        await WaitUntil(() => seen.Count == count, ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"all seen after {sw.ElapsedMilliseconds} ms");

        // A rolling stop: each member leaves a stable group and commits what it handled.
        for (var i = 0; i < members.Length; i++)
        {
            await stops[i].CancelAsync();
            await runs[i];
            stops[i].Dispose();
        }

        Assert.Equal(count, seen.Count);
        Assert.InRange(members.Sum(m => m.Handled), count, 2 * count);
        TestContext.Current.TestOutputHelper?.WriteLine($"handled {members.Sum(m => m.Handled)} for {count} records; partitions per member {byMember[0].Count}/{byMember[1].Count}");
        Assert.Equal(0, members.Sum(m => m.DeadLettered));

        // Offsets were committed on stop: the group resumes at the end and sees nothing old.
        var later = new ConcurrentBag<int>();
        using (var producer = factory.CreateProducer<ObjectRecord>("test"))
        {
            await producer.ProduceAsync(topic, "team-a/Pod/shop/checkout-new", Records.Pod(count), ct);
        }

        using var stop2 = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var again = factory.CreateConsumer<ObjectRecord>("test", group, [topic.Name], (r, _) =>
        {
            later.Add(Records.Number(r.Value!));
            return ValueTask.CompletedTask;
        });
        var run = again.RunAsync(stop2.Token);
        await WaitUntil(() => !later.IsEmpty, ct);
        await Task.Delay(500, ct);
        await stop2.CancelAsync();
        await run;
        Assert.Equal([count], later.ToArray());
    }

    [Fact]
    public async Task RunAsync_PoisonRecords_AreDeadLetteredWithErrorHeadersAndTheConsumerGoesOn()
    {
        var ct = TestContext.Current.CancellationToken;
        var factory = kafka.Factory(o =>
        {
            o.MaxRecordBytes = 4096;
            o.MaxHandlerAttempts = 3;
        });
        var topic = kafka.NewTopic(ObjectRecord.Descriptor, partitions: 1);
        var group = $"g-{Guid.NewGuid():N}";

        using (var raw = factory.CreateRawProducer("test"))
        {
            async Task Send(string key, byte[] value, Headers? headers = null) =>
                await raw.ProduceAsync(topic.Name, new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(key), Value = value, Headers = headers ?? [] }, ct);

            var serde = new ProtobufSerde<ObjectRecord>();
            byte[] Valid(int n, Headers headers) => serde.Serialize(Records.Pod(n), new SerializationContext(MessageComponentType.Value, topic.Name, headers));

            var h1 = new Headers();
            await Send("ok-1", Valid(1, h1), h1);
            await Send("garbage", [0xFF, 0xFF, 0xFF, 0x01, 0x02]);
            var future = new Headers();
            var futureBytes = Valid(2, future);
            future.Remove(RecordHeaders.SchemaVersion);
            future.Add(RecordHeaders.SchemaVersion, "99"u8.ToArray());
            await Send("future", futureBytes, future);
            var big = new Headers();
            await Send("big", serde.Serialize(Records.Pod(3, jsonBytes: 10_000), new SerializationContext(MessageComponentType.Value, topic.Name, big)), big);
            var h4 = new Headers();
            await Send("fail", Valid(4, h4), h4);
            await Send("bad-key\uFFFF", Valid(5, []), []);
            var nulls = new Headers();
            var nullsBytes = Valid(7, nulls);
            nulls.Remove(RecordHeaders.SchemaVersion);
            nulls.Add(RecordHeaders.SchemaVersion, null);
            nulls.Add(RecordHeaders.TraceParent, null);
            await Send("null-version", nullsBytes, nulls);
            var h6 = new Headers();
            await Send("ok-6", Valid(6, h6), h6);
        }

        var handled = new ConcurrentQueue<string>();
        var failAttempts = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var consumer = factory.CreateConsumer<ObjectRecord>("test", group, [topic.Name], (r, _) =>
        {
            if (r.Key == "fail")
            {
                Interlocked.Increment(ref failAttempts);
                throw new InvalidOperationException("downstream refused");
            }

            handled.Enqueue(r.Key!);
            return ValueTask.CompletedTask;
        });
        var run = consumer.RunAsync(stop.Token);
        await WaitUntil(() => handled.Contains("ok-6"), ct);
        await stop.CancelAsync();
        await run;

        Assert.Equal(["ok-1", "bad-key\uFFFF", "ok-6"], handled.ToArray());
        Assert.Equal(3, failAttempts);
        Assert.Equal(5, consumer.DeadLettered);

        var letters = await ReadDeadLetters(factory, topic.Name, expected: 5, ct);
        Assert.Equal(
            [("garbage", DeadLetterKinds.Deserialize), ("future", DeadLetterKinds.SchemaVersion), ("big", DeadLetterKinds.Oversized), ("fail", DeadLetterKinds.Handler), ("null-version", DeadLetterKinds.SchemaVersion)],
            letters.Select(l => (Encoding.UTF8.GetString(l.Key!), Header(l.Headers, RecordHeaders.ErrorKind))).ToArray());
        foreach (var letter in letters)
        {
            Assert.Equal(topic.Name, Header(letter.Headers, RecordHeaders.OriginalTopic));
            Assert.Equal(group, Header(letter.Headers, RecordHeaders.RejectedBy));
            Assert.False(string.IsNullOrEmpty(Header(letter.Headers, RecordHeaders.ErrorMessage)));
            var body = DeadLetter.Parser.ParseFrom(letter.Value);
            Assert.Equal(topic.Name, body.OriginalTopic);
            Assert.Equal(long.Parse(Header(letter.Headers, RecordHeaders.OriginalOffset), System.Globalization.CultureInfo.InvariantCulture), body.OriginalOffset);
        }

        var garbage = DeadLetter.Parser.ParseFrom(letters[0].Value);
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0x01, 0x02 }, garbage.OriginalValue.ToByteArray());
        Assert.Contains("99", Header(letters[1].Headers, RecordHeaders.ErrorMessage), StringComparison.Ordinal);
        Assert.Equal(3, DeadLetter.Parser.ParseFrom(letters[3].Value).Attempts);
        var oversized = DeadLetter.Parser.ParseFrom(letters[2].Value);
        Assert.True(oversized.OriginalValueDropped);
        Assert.True(oversized.OriginalValue.IsEmpty);
        var nullVersion = DeadLetter.Parser.ParseFrom(letters[4].Value);
        Assert.Contains(nullVersion.OriginalHeaders, h => h.Key == RecordHeaders.TraceParent && !h.HasValue);
        Assert.Equal("chasi.v1.ObjectRecord", nullVersion.OriginalHeaders.First(h => h.Key == RecordHeaders.Schema).Value.ToStringUtf8());
        Assert.Equal("downstream refused", Header(letters[3].Headers, RecordHeaders.ErrorMessage));
    }

    [Fact]
    public async Task RunAsync_HandlerFarBehind_PausesFetchingAndStillHandlesEverythingInOrder()
    {
        var ct = TestContext.Current.CancellationToken;
        var factory = kafka.Factory(o => o.ConsumerPrefetch = 20);
        var topic = kafka.NewTopic(ObjectRecord.Descriptor, partitions: 1);
        const int count = 300;
        using (var producer = factory.CreateProducer<ObjectRecord>("test"))
        {
            for (var i = 0; i < count; i++)
            {
                producer.Produce(topic, "k", Records.Pod(i));
            }

            producer.Flush(ct);
        }

        var order = new ConcurrentQueue<int>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var consumer = factory.CreateConsumer<ObjectRecord>("test", $"g-{Guid.NewGuid():N}", [topic.Name], async (r, token) =>
        {
            order.Enqueue(Records.Number(r.Value!));
            if (order.Count is 100 or 200)
            {
                // Longer than the consumer waits for a slot: it pauses and keeps polling.
                await Task.Delay(1500, token);
            }
        });
        var run = consumer.RunAsync(stop.Token);
        await WaitUntil(() => order.Count == count, ct);
        await stop.CancelAsync();
        await run;

        Assert.Equal(Enumerable.Range(0, count), order);
    }

    [Fact]
    public async Task RunAsync_TransientHandlerFailures_AreRetriedPastTheAttemptLimitAndNeverDeadLettered()
    {
        var ct = TestContext.Current.CancellationToken;
        var factory = kafka.Factory(o => o.MaxHandlerAttempts = 2);
        var topic = kafka.NewTopic(ObjectRecord.Descriptor, partitions: 1);
        using (var producer = factory.CreateProducer<ObjectRecord>("test"))
        {
            await producer.ProduceAsync(topic, "k", Records.Pod(1), ct);
            await producer.ProduceAsync(topic, "k", Records.Pod(2), ct);
        }

        var attempts = 0;
        var handled = new ConcurrentQueue<int>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var consumer = factory.CreateConsumer<ObjectRecord>("test", $"g-{Guid.NewGuid():N}", [topic.Name], (r, _) =>
        {
            if (Records.Number(r.Value!) == 1 && ++attempts <= 5)
            {
                throw new TransientFailureException("store unavailable", new TimeoutException());
            }

            handled.Enqueue(Records.Number(r.Value!));
            return ValueTask.CompletedTask;
        });
        var run = consumer.RunAsync(stop.Token);
        await WaitUntil(() => handled.Count == 2, ct);
        await stop.CancelAsync();
        await run;

        Assert.Equal([1, 2], handled.ToArray());
        Assert.Equal(6, attempts);
        Assert.Equal(0, consumer.DeadLettered);
    }

    private static async Task<List<Message<byte[]?, byte[]?>>> ReadDeadLetters(KafkaClientFactory factory, string originalTopic, int expected, CancellationToken ct)
    {
        using var consumer = factory.CreateRawConsumer("dlq-reader", $"dlq-{Guid.NewGuid():N}");
        consumer.Subscribe(TopicCatalog.DeadLetters.Name);
        var found = new List<Message<byte[]?, byte[]?>>();
        var deadline = DateTime.UtcNow + Patience;
        await Task.Yield();
        while (found.Count < expected && DateTime.UtcNow < deadline)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (r?.Message is { } m && Header(m.Headers, RecordHeaders.OriginalTopic) == originalTopic)
            {
                found.Add(m);
            }

            ct.ThrowIfCancellationRequested();
        }

        consumer.Close();
        Assert.Equal(expected, found.Count);
        return [.. found.OrderBy(m => long.Parse(Header(m.Headers, RecordHeaders.OriginalOffset), System.Globalization.CultureInfo.InvariantCulture))];
    }

    private static string Header(Headers headers, string key) =>
        headers.TryGetLastBytes(key, out var value) ? Encoding.UTF8.GetString(value) : "";

    internal static async Task WaitUntil(Func<bool> condition, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(50, ct);
        }
    }
}
