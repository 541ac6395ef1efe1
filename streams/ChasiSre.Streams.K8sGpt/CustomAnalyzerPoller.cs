using System.Collections.Concurrent;
using System.Diagnostics;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using ChasiSre.Streams.Detection;
using ChasiSre.Streams.K8sGpt.Protocol;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChasiSre.Streams.K8sGpt;

/// <summary>
/// Polls every configured k8sgpt custom analyzer (<c>schema.v1.CustomAnalyzerService/Run</c>) on its
/// interval and publishes what it reports as a <see cref="Signal"/> through the <see cref="ISignalSink"/>:
/// a result with errors is an active signal about the object it names (re-published each run with a
/// fresh <c>last_seen</c>); when the analyzer then reports nothing, or another object, the previous
/// signal is published once more with <c>active=false</c>. Only masked texts are published. A failed
/// run (unreachable, timeout, error status, sink failure) is logged and counted, and the next run
/// waits <see cref="K8sGptInteropOptions.Backoff"/>; one analyzer failing never delays the others.
/// </summary>
public sealed class CustomAnalyzerPoller : BackgroundService
{
    /// <summary>Prefix of the detector name of analyzer signals: <c>k8sgpt.custom.&lt;analyzer&gt;</c>.</summary>
    public const string DetectorPrefix = "k8sgpt.custom.";

    private readonly K8sGptInteropOptions options;
    private readonly ISignalSink sink;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<string, CustomAnalyzerStatus> status = new(StringComparer.Ordinal);

    public CustomAnalyzerPoller(IOptions<K8sGptInteropOptions> options, ISignalSink sink, TimeProvider timeProvider, ILogger<CustomAnalyzerPoller> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        this.options = options.Value;
        this.sink = sink;
        this.timeProvider = timeProvider;
        this.logger = logger;
        foreach (var analyzer in this.options.Analyzers)
        {
            status[analyzer.Name] = new CustomAnalyzerStatus(analyzer.Name, 0, 0, null, null, TimeSpan.Zero, null);
        }
    }

    /// <summary>The state of each analyzer, by name (a snapshot).</summary>
    public IReadOnlyDictionary<string, CustomAnalyzerStatus> Status => new Dictionary<string, CustomAnalyzerStatus>(status, StringComparer.Ordinal);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Analyzers.Count == 0)
        {
            logger.NoAnalyzers();
            return Task.CompletedTask;
        }

        return Task.WhenAll(options.Analyzers.Select(analyzer => Task.Run(() => PollAsync(analyzer, stoppingToken), CancellationToken.None)));
    }

    private async Task PollAsync(CustomAnalyzerOptions analyzer, CancellationToken cancellationToken)
    {
        var address = analyzer.Address ?? throw new InvalidOperationException($"Analyzer {analyzer.Name} has no address.");
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { ConnectTimeout = analyzer.Timeout, EnableMultipleHttp2Connections = true },
            DisposeHttpClient = true,
        });
        var client = new CustomAnalyzerService.CustomAnalyzerServiceClient(channel);
        var tracker = new ActiveSignal(DetectorPrefix + analyzer.Name, analyzer.Identity());
        logger.AnalyzerStarted(analyzer.Name, address, analyzer.Interval, analyzer.Timeout);
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            TimeSpan delay;
            try
            {
                await RunOnceAsync(client, analyzer, tracker, cancellationToken);
                Record(analyzer, "success", started);
                if (failures > 0)
                {
                    logger.AnalyzerRecovered(analyzer.Name, failures);
                }

                failures = 0;
                delay = analyzer.Interval;
                Update(analyzer.Name, s => s with
                {
                    Runs = s.Runs + 1,
                    ConsecutiveFailures = 0,
                    LastSuccess = timeProvider.GetUtcNow(),
                    LastError = null,
                    NextDelay = delay,
                    ActiveSignalId = tracker.ActiveId,
                });
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                // The per-analyzer boundary: counted, logged, retried after a backoff.
                Record(analyzer, "failure", started);
                failures++;
                delay = options.Backoff(failures);
                logger.AnalyzerFailed(exception, analyzer.Name, failures, delay);
                var failureCount = failures;
                Update(analyzer.Name, s => s with { Runs = s.Runs + 1, ConsecutiveFailures = failureCount, LastError = exception.Message, NextDelay = delay });
            }

            await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        logger.AnalyzerStopped(analyzer.Name);
    }

    private async Task RunOnceAsync(CustomAnalyzerService.CustomAnalyzerServiceClient client, CustomAnalyzerOptions analyzer, ActiveSignal tracker, CancellationToken cancellationToken)
    {
        RunResponse response;
        using (var timeout = new CancellationTokenSource(analyzer.Timeout, timeProvider))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
        {
            try
            {
                response = await client.RunAsync(new RunRequest(), cancellationToken: linked.Token);
            }
            catch (RpcException exception) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Run on analyzer {analyzer.Name} took longer than {analyzer.Timeout}.", exception);
            }
        }

        var finding = response.Result is { } result
            ? K8sGptFindings.Create(tracker.Detector, ToResult(result), tracker.Near, attributes: new Dictionary<string, string>(StringComparer.Ordinal) { ["k8sgpt.analyzer"] = analyzer.Name })
            : null;
        var now = timeProvider.GetUtcNow();
        foreach (var (signal, commit) in tracker.Next(finding, now))
        {
            await sink.PublishAsync(signal, cancellationToken);
            commit();
            K8sGptTelemetry.Signals.Add(1, new("analyzer", analyzer.Name), new("active", signal.Active));
            logger.SignalPublished(analyzer.Name, signal.Id, signal.Category, RecordKeys.ForObject(signal.Subject), signal.Active);
        }
    }

    private static K8sGptResult ToResult(Result result) => new(
        result.Kind,
        result.Name,
        [.. result.Error.Select(e => new K8sGptError(e.Text, [.. e.Sensitive.Select(s => new K8sGptSensitive(s.Unmasked, s.Masked))]))],
        result.Details,
        result.ParentObject);

    private static void Record(CustomAnalyzerOptions analyzer, string outcome, long started)
    {
        var tags = new TagList { { "analyzer", analyzer.Name }, { "outcome", outcome } };
        K8sGptTelemetry.Runs.Add(1, tags);
        K8sGptTelemetry.RunDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
    }

    private void Update(string analyzer, Func<CustomAnalyzerStatus, CustomAnalyzerStatus> change) =>
        status.AddOrUpdate(analyzer, name => change(new CustomAnalyzerStatus(name, 0, 0, null, null, TimeSpan.Zero, null)), (_, current) => change(current));

    /// <summary>The one signal an analyzer currently holds active. State changes only when <c>commit</c> runs after a durable publish.</summary>
    private sealed class ActiveSignal(string detector, ObjectRef near)
    {
        private Finding? finding;
        private DateTimeOffset firstSeen;

        public string Detector { get; } = detector;

        public ObjectRef Near { get; } = near;

        public string? ActiveId => finding is null ? null : FindingSignals.Id(finding, firstSeen);

        public IEnumerable<(Signal Signal, Action Commit)> Next(Finding? next, DateTimeOffset now)
        {
            if (finding is { } current && (next is null || next.Key != current.Key))
            {
                yield return (FindingSignals.ToSignal(current, firstSeen, now, active: false), () => finding = null);
            }

            if (next is not null)
            {
                var since = finding is { } same && same.Key == next.Key ? firstSeen : now;
                yield return (FindingSignals.ToSignal(next, since, now, active: true), () =>
                {
                    finding = next;
                    firstSeen = since;
                }
                );
            }
        }
    }
}
