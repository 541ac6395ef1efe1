using System.Text;
using System.Text.RegularExpressions;
using ChasiSre.Platform.Kafka;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Diagnosis.Knowledge.Sources;

/// <summary>
/// Indexes the runbooks business adapters publish on <c>chasi.business.v1</c>: each record whose <c>runbook</c> case is
/// set becomes a Markdown <see cref="KnowledgeDocument"/> private to the record's subject tenant, source id
/// <c>adapters/&lt;tenant&gt;/&lt;adapter&gt;/&lt;runbook id&gt;</c>, title as heading, tags as categories. A changed
/// runbook replaces its document (same source id). Other record cases are ignored and counted.
/// </summary>
/// <remarks>
/// <para>Removal: the gateway publishes an adapter's whole runbook list at one poll time (<c>at</c>). When a record of a
/// newer listing arrives, the previous listing is complete; runbooks that were in the listing before it and are missing
/// from it were removed by the adapter and are removed from the knowledge base. So a removal is applied when the listing
/// after the one that dropped it starts (one <c>RunbooksInterval</c> later). The listing state is in memory: removals
/// that happen while the consumer is down are applied only for listings it sees.</para>
/// <para>Bad records (empty or oversized body, no tenant, ids that cannot name a source) are thrown as
/// <see cref="RejectedRunbookException"/>: the consumer retries them <c>MaxHandlerAttempts</c> times, then dead-letters
/// them with the message as the reason. A runbook whose body turns bad keeps its previous version indexed. A knowledge base that fails is a <see cref="TransientFailureException"/>
/// (retried, never dead-lettered).</para>
/// </remarks>
public sealed partial class BusinessRunbookConsumer : BackgroundService
{
    private const string Component = TopicCatalog.Components.Diagnosis;

    private readonly KafkaClientFactory kafka;
    private readonly KnowledgeBaseProvider knowledge;
    private readonly BusinessRunbookConsumerOptions options;
    private readonly ILogger logger;
    private readonly Dictionary<string, Listing> listings = new(StringComparer.Ordinal);
    private long indexed;
    private long unchanged;
    private long removed;
    private long ignored;
    private long stale;

    /// <summary>Creates the consumer.</summary>
    public BusinessRunbookConsumer(KafkaClientFactory kafka, KnowledgeBaseProvider knowledge, IOptions<BusinessRunbookConsumerOptions> options, ILogger<BusinessRunbookConsumer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        ArgumentNullException.ThrowIfNull(knowledge);
        ArgumentNullException.ThrowIfNull(options);
        this.kafka = kafka;
        this.knowledge = knowledge;
        this.options = options.Value;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Runbooks indexed (new or changed).</summary>
    public long Indexed => Interlocked.Read(ref indexed);

    /// <summary>Runbook records whose content was already indexed (or duplicated another source of the tenant).</summary>
    public long Unchanged => Interlocked.Read(ref unchanged);

    /// <summary>Runbooks removed because the adapter stopped listing them.</summary>
    public long Removed => Interlocked.Read(ref removed);

    /// <summary>Business records without a runbook (status, event, log, config) and tombstones.</summary>
    public long Ignored => Interlocked.Read(ref ignored);

    /// <summary>Runbook records of an older listing than one already seen (not indexed: they would undo a newer version).</summary>
    public long Stale => Interlocked.Read(ref stale);

    /// <summary>Records dead-lettered so far.</summary>
    public long DeadLettered => consumer?.DeadLettered ?? 0;

    private AtLeastOnceConsumer<BusinessRecord>? consumer;

    /// <summary>The source id of an adapter's runbook.</summary>
    public static string SourceId(string tenant, string adapter, string runbookId) => $"adapters/{tenant}/{adapter}/{runbookId}";

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        consumer = kafka.CreateConsumer<BusinessRecord>(Component, options.GroupId, [TopicCatalog.Business.Name], HandleAsync);
        logger.RunbookConsumerStarted(TopicCatalog.Business.Name, options.GroupId);
        await consumer.RunAsync(stoppingToken).ConfigureAwait(false);
    }

    internal async ValueTask HandleAsync(ConsumedRecord<BusinessRecord> record, CancellationToken cancellationToken)
    {
        if (record.Value is not { RecordCase: BusinessRecord.RecordOneofCase.Runbook } value)
        {
            Interlocked.Increment(ref ignored);
            SourcesTelemetry.IgnoredRecords.Add(1);
            return;
        }

        using var activity = SourcesTelemetry.Source.StartActivity(SourcesTelemetry.RunbookActivity);
        var runbook = value.Runbook;
        var tenant = value.Subject?.Tenant ?? "";
        ValidateIdentity(value, tenant, runbook);
        var sourceId = SourceId(tenant, value.Adapter, runbook.Id);
        activity?.SetTag("chasisre.kb.source_id", sourceId);

        var at = value.At?.ToDateTimeOffset() ?? record.Timestamp;
        var listingKey = $"{tenant}/{value.Adapter}";
        if (!listings.TryGetValue(listingKey, out var listing))
        {
            listings[listingKey] = listing = new Listing(at);
        }
        else if (at < listing.At)
        {
            Interlocked.Increment(ref stale);
            logger.RunbookStale(sourceId, at, listing.At);
            return;
        }
        else if (at > listing.At)
        {
            await CloseListingAsync(listing, tenant, value.Adapter, cancellationToken).ConfigureAwait(false);
            listing.Start(at);
        }

        // Listed even when its body is rejected below: the adapter still has it, so its previous version stays indexed.
        listing.Current.Add(runbook.Id);
        ValidateBody(value, runbook);
        var kb = await KnowledgeAsync(cancellationToken).ConfigureAwait(false);
        var document = new KnowledgeDocument(sourceId, Text(runbook), DocumentFormat.Markdown, tenant, KnowledgeVisibility.Private)
        {
            Metadata = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["kind"] = "adapter-runbook",
                ["adapter"] = value.Adapter,
                ["runbook_id"] = runbook.Id,
                ["categories"] = string.Join(',', runbook.Tags.Select(t => t.Replace(',', ' ').Trim()).Where(t => t.Length > 0)),
            },
        };
        var result = await Guard(() => kb.UpsertAsync(document, cancellationToken), sourceId).ConfigureAwait(false);
        SourcesTelemetry.Documents.Add(1, new KeyValuePair<string, object?>(SourcesTelemetry.SourceTag, "adapters"), new KeyValuePair<string, object?>(SourcesTelemetry.OutcomeTag, result.Outcome.ToString().ToLowerInvariant()));
        switch (result.Outcome)
        {
            case IngestOutcome.Indexed:
                Interlocked.Increment(ref indexed);
                logger.RunbookIndexed(sourceId, result.Chunks);
                break;
            case IngestOutcome.Unchanged or IngestOutcome.Skipped:
                Interlocked.Increment(ref unchanged);
                logger.RunbookUnchanged(sourceId, result.Outcome.ToString(), result.Reason ?? "");
                break;
            default:
                throw new RejectedRunbookException($"runbook {sourceId} could not be indexed: {result.Reason}");
        }
    }

    private async Task CloseListingAsync(Listing listing, string tenant, string adapter, CancellationToken cancellationToken)
    {
        if (listing.Complete is { } previous)
        {
            var kb = await KnowledgeAsync(cancellationToken).ConfigureAwait(false);
            foreach (var id in previous.Except(listing.Current).Order(StringComparer.Ordinal))
            {
                var sourceId = SourceId(tenant, adapter, id);
                var result = await Guard(() => kb.RemoveAsync(sourceId, tenant, cancellationToken), sourceId).ConfigureAwait(false);
                if (result.Outcome == IngestOutcome.Removed)
                {
                    Interlocked.Increment(ref removed);
                    SourcesTelemetry.Documents.Add(1, new KeyValuePair<string, object?>(SourcesTelemetry.SourceTag, "adapters"), new KeyValuePair<string, object?>(SourcesTelemetry.OutcomeTag, "removed"));
                    logger.RunbookRemoved(sourceId);
                }
            }
        }

        listing.Complete = [.. listing.Current];
    }

    private async Task<KnowledgeBase> KnowledgeAsync(CancellationToken cancellationToken) =>
        await Guard(() => knowledge.GetAsync(cancellationToken), "knowledge base").ConfigureAwait(false);

    // The record is fine when the knowledge base fails: retry it (without limit) rather than dead-letter it.
    private static async Task<T> Guard<T>(Func<Task<T>> call, string what)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TransientFailureException($"the knowledge base failed on {what}", ex);
        }
    }

    private static void ValidateIdentity(BusinessRecord record, string tenant, Runbook runbook)
    {
        if (tenant.Length == 0)
        {
            throw new RejectedRunbookException($"runbook '{runbook.Id}' of adapter '{record.Adapter}' has no subject tenant: adapter runbooks are private to a tenant");
        }

        try
        {
            KnowledgeScope.ValidateTenant(tenant);
        }
        catch (ArgumentException ex)
        {
            throw new RejectedRunbookException($"runbook '{runbook.Id}' has an invalid subject tenant: {ex.Message}", ex);
        }

        if (!Name().IsMatch(record.Adapter))
        {
            throw new RejectedRunbookException($"adapter name '{record.Adapter}' cannot name a source (letters, digits, '.', '_', ':', '-'; 1-200)");
        }

        if (!Name().IsMatch(runbook.Id))
        {
            throw new RejectedRunbookException($"runbook id '{runbook.Id}' of adapter '{record.Adapter}' cannot name a source (letters, digits, '.', '_', ':', '-'; 1-200)");
        }
    }

    private void ValidateBody(BusinessRecord record, Runbook runbook)
    {
        if (string.IsNullOrWhiteSpace(runbook.Body))
        {
            throw new RejectedRunbookException($"runbook '{runbook.Id}' of adapter '{record.Adapter}' has an empty body");
        }

        var bytes = Encoding.UTF8.GetByteCount(runbook.Body);
        if (bytes > options.MaxRunbookBytes)
        {
            throw new RejectedRunbookException($"runbook '{runbook.Id}' of adapter '{record.Adapter}' is {bytes} bytes, over the {options.MaxRunbookBytes}-byte limit (MaxRunbookBytes)");
        }
    }

    /// <summary>The body under the title as its heading (kept as is when the body already starts with a top heading).</summary>
    internal static string Text(Runbook runbook)
    {
        var body = runbook.Body.Trim();
        if (body.StartsWith("# ", StringComparison.Ordinal))
        {
            return body + "\n";
        }

        var title = string.IsNullOrWhiteSpace(runbook.Title) ? runbook.Id : string.Join(' ', runbook.Title.Split((char[])['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return $"# {title}\n\n{body}\n";
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,200}$", RegexOptions.CultureInvariant)]
    private static partial Regex Name();

    private sealed class Listing(DateTimeOffset at)
    {
        public DateTimeOffset At { get; private set; } = at;

        public HashSet<string> Current { get; private set; } = new(StringComparer.Ordinal);

        public HashSet<string>? Complete { get; set; }

        public void Start(DateTimeOffset at)
        {
            At = at;
            Current = new HashSet<string>(StringComparer.Ordinal);
        }
    }
}
