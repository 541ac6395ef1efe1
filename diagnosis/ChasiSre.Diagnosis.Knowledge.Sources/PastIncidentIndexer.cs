using System.Diagnostics;
using System.Globalization;
using ChasiSre.Platform.ClickHouse;
using ChasiSre.Schemas.V1;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChasiSre.Diagnosis.Knowledge.Sources;

/// <summary>
/// Indexes resolved incidents with their latest diagnosis, read from the tables the ClickHouse sink writes
/// (<c>incidents</c> and <c>diagnoses</c>, latest version through <c>FINAL</c>), as one Markdown
/// <see cref="KnowledgeDocument"/> per incident and reader, source id <c>incidents/&lt;incident-id&gt;</c>.
/// </summary>
/// <remarks>
/// <para>Incremental: each run reads only rows whose <c>ingested_at</c> is at or past the watermark of the previous run
/// (arrival time, not record time: a late diagnosis or a replayed scenario from March still counts as new), then loads
/// the latest incident and diagnosis of every incident those rows touch. A newer diagnosis revision re-renders the
/// document and <see cref="KnowledgeBase.UpsertAsync"/> replaces it; unchanged text is a no-op.</para>
/// <para>Tenant-safe: an incident of one tenant is private to it. An incident that affected several tenants gets one
/// private copy per tenant, in which every other tenant's identifiers are redacted and their signals and evidence lines
/// left out. A platform incident that affected no tenant is shared.</para>
/// </remarks>
public sealed class PastIncidentIndexer : IDisposable
{
    private static readonly JsonParser Json = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private readonly IClickHouseStore store;
    private readonly string database;
    private readonly string source;
    private readonly PastIncidentIndexerOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly SemaphoreSlim gate = new(1, 1);
    private IncidentIndexState? state;
    private bool loaded;

    /// <summary>Creates the indexer.</summary>
    public PastIncidentIndexer(
        IClickHouseStore store,
        IOptions<ClickHouseOptions> clickHouse,
        IOptions<PastIncidentIndexerOptions> options,
        TimeProvider? time = null,
        ILogger<PastIncidentIndexer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clickHouse);
        ArgumentNullException.ThrowIfNull(options);
        this.store = store;
        database = clickHouse.Value.Database;
        source = clickHouse.Value.Backend == ClickHouseBackend.Embedded
            ? $"embedded:{Path.GetFullPath(clickHouse.Value.EmbeddedDataPath)}:{database}"
            : $"server:{database}";
        this.options = options.Value;
        this.time = time ?? TimeProvider.System;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public void Dispose() => gate.Dispose();

    /// <summary>The watermark the next run starts from (<see langword="null"/>: from the beginning).</summary>
    public DateTime? Watermark => state?.Watermark;

    /// <summary>
    /// Reads incidents and diagnoses written since the last run and upserts the documents of the resolved, diagnosed
    /// ones into <paramref name="knowledgeBase"/>. The watermark advances (and is saved) only after every document was
    /// upserted, so a failed run is simply repeated.
    /// </summary>
    public async Task<PastIncidentIndexReport> IndexAsync(KnowledgeBase knowledgeBase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(knowledgeBase);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var activity = SourcesTelemetry.Source.StartActivity(SourcesTelemetry.IndexIncidentsActivity);
            var started = time.GetTimestamp();
            if (!loaded && options.StatePath is { } path)
            {
                state = await IncidentIndexState.LoadAsync(path, source, cancellationToken).ConfigureAwait(false);
            }

            loaded = true;
            var (changed, rowsRead, next) = await ChangedIncidentsAsync(cancellationToken).ConfigureAwait(false);
            var results = new List<DocumentIngestResult>();
            int notResolved = 0, undiagnosed = 0;
            foreach (var batch in changed.Chunk(options.BatchSize))
            {
                var incidents = await LatestAsync<Incident>("incidents", batch, cancellationToken).ConfigureAwait(false);
                var diagnoses = await LatestAsync<Schemas.V1.Diagnosis>("diagnoses", batch, cancellationToken).ConfigureAwait(false);
                foreach (var id in batch)
                {
                    if (!incidents.TryGetValue(id, out var incident) || incident.State != IncidentState.Resolved)
                    {
                        notResolved++;
                        continue;
                    }

                    if (!diagnoses.TryGetValue(id, out var diagnosis))
                    {
                        undiagnosed++;
                        continue;
                    }

                    results.AddRange(await UpsertAsync(knowledgeBase, incident, diagnosis, cancellationToken).ConfigureAwait(false));
                }
            }

            if (next is not null)
            {
                state = next;
                if (options.StatePath is { } statePath)
                {
                    await next.SaveAsync(statePath, cancellationToken).ConfigureAwait(false);
                }
            }

            var report = new PastIncidentIndexReport(rowsRead, changed.Count, notResolved, undiagnosed, results, state?.Watermark);
            foreach (var result in results)
            {
                SourcesTelemetry.Documents.Add(1, new KeyValuePair<string, object?>(SourcesTelemetry.SourceTag, "incidents"), new KeyValuePair<string, object?>(SourcesTelemetry.OutcomeTag, result.Outcome.ToString().ToLowerInvariant()));
            }

            activity?.SetTag("chasisre.kb.incidents", changed.Count);
            logger.IncidentsIndexed(rowsRead, changed.Count, report.Count(IngestOutcome.Indexed), report.Count(IngestOutcome.Unchanged), notResolved, undiagnosed, time.GetElapsedTime(started).TotalMilliseconds);
            return report;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<IReadOnlyList<DocumentIngestResult>> UpsertAsync(KnowledgeBase knowledgeBase, Incident incident, Schemas.V1.Diagnosis diagnosis, CancellationToken cancellationToken)
    {
        var sourceId = PastIncidentDocument.SourceId(incident.Id);
        var readers = PastIncidentDocument.Readers(incident);
        var results = new List<DocumentIngestResult>();
        foreach (var reader in readers.Count == 0 ? [null] : readers.Cast<string?>())
        {
            if (reader is not null && !IsTenant(reader, out var problem))
            {
                // The record is bad, not the store: report it and go on with the other readers and incidents.
                logger.IncidentTenantInvalid(incident.Id, problem);
                results.Add(new DocumentIngestResult(sourceId, IngestOutcome.Failed, Reason: problem));
                continue;
            }

            var text = PastIncidentDocument.Render(incident, diagnosis, reader, options);
            var document = new KnowledgeDocument(sourceId, text, DocumentFormat.Markdown, reader, reader is null ? KnowledgeVisibility.Shared : KnowledgeVisibility.Private)
            {
                Metadata = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["kind"] = "past-incident",
                    ["incident_id"] = incident.Id,
                    ["incident_revision"] = incident.Revision.ToString(CultureInfo.InvariantCulture),
                    ["diagnosis_revision"] = diagnosis.IncidentRevision.ToString(CultureInfo.InvariantCulture),
                },
            };
            results.Add(await knowledgeBase.UpsertAsync(document, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    private static bool IsTenant(string tenant, out string problem)
    {
        try
        {
            KnowledgeScope.ValidateTenant(tenant);
            problem = "";
            return true;
        }
        catch (ArgumentException ex)
        {
            problem = ex.Message;
            return false;
        }
    }

    // The incidents touched by rows at or past the watermark; the rows at exactly the watermark that the previous run
    // already read are left out. Returns the next state (null when nothing was read).
    private async Task<(IReadOnlyList<string> Changed, int RowsRead, IncidentIndexState? Next)> ChangedIncidentsAsync(CancellationToken cancellationToken)
    {
        var since = state is null ? "" : $"WHERE ingested_at >= {SqlText.DateTime64(state.Watermark)}";
        var sql = $"""
            SELECT incident_id, 'i' AS kind, version, ingested_at FROM {database}.incidents {since}
            UNION ALL
            SELECT incident_id, 'd' AS kind, version, ingested_at FROM {database}.diagnoses {since}
            """;
        var rows = await store.QueryAsync(sql, cancellationToken).ConfigureAwait(false);
        var seen = state is null ? [] : state.BoundaryKeys.ToHashSet(StringComparer.Ordinal);
        var changed = new SortedSet<string>(StringComparer.Ordinal);
        var read = 0;
        DateTime? max = state?.Watermark;
        var keysAtMax = new Dictionary<DateTime, List<string>>();
        foreach (var row in rows)
        {
            var id = row.Get<string>("incident_id");
            var at = row.Get<DateTime>("ingested_at");
            var key = $"{row.Get<string>("kind")}|{id}|{row.Get<ulong>("version").ToString(CultureInfo.InvariantCulture)}";
            if (state is not null && at == state.Watermark && seen.Contains(key))
            {
                continue;
            }

            read++;
            changed.Add(id);
            if (max is null || at > max)
            {
                max = at;
            }

            if (!keysAtMax.TryGetValue(at, out var keys))
            {
                keysAtMax[at] = keys = [];
            }

            keys.Add(key);
        }

        if (read == 0 || max is not { } watermark)
        {
            return ([], 0, null);
        }

        var boundary = keysAtMax.GetValueOrDefault(watermark, []);
        if (state is not null && watermark == state.Watermark)
        {
            boundary.AddRange(state.BoundaryKeys);
        }

        return (changed.ToList(), read, new IncidentIndexState(source, watermark, boundary.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()));
    }

    private async Task<Dictionary<string, T>> LatestAsync<T>(string table, IReadOnlyList<string> ids, CancellationToken cancellationToken)
        where T : class, IMessage<T>, new()
    {
        // FINAL keeps the highest version per (tenant, incident_id); ORDER/LIMIT BY picks one row per id even across tenants
        // (an incident's tenant never changes, so this only guards against malformed history).
        var sql = $"""
            SELECT incident_id, payload
            FROM {database}.{table} FINAL
            WHERE incident_id IN {SqlText.List(ids)}
            ORDER BY incident_id, version DESC, ts DESC
            LIMIT 1 BY incident_id
            """;
        var rows = await store.QueryAsync(sql, cancellationToken).ConfigureAwait(false);
        var latest = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var id = row.Get<string>("incident_id");
            try
            {
                latest[id] = Json.Parse<T>(row.Get<string>("payload"));
            }
            catch (InvalidProtocolBufferException ex)
            {
                // One unreadable row must not stop the others; it is logged with its id and counted as not indexable.
                logger.PayloadUnreadable(ex, table, id);
            }
        }

        return latest;
    }
}
