using System.Diagnostics;
using ChasiSre.Diagnosis.Evidence;
using ChasiSre.Diagnosis.Knowledge;
using ChasiSre.Diagnosis.Llm;
using ChasiSre.Schemas;
using ChasiSre.Schemas.V1;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChasiSre.Diagnosis.Engine;

/// <summary>
/// Diagnoses one incident: retrieves runbook sections for it (tenant-scoped), builds its evidence pack, and asks the
/// chat client once with a schema made of the pack's own ids. An invalid answer gets one repair round with its errors;
/// an answer still invalid, a failed call, or the deterministic provider ("no LLM configured") gives the rule-based
/// diagnosis instead. Either way the result cites pack ids, which map back to records (<see cref="EvidenceRef"/>) and
/// runbook sections (<see cref="Citation"/>).
/// </summary>
public sealed class DiagnosisEngine
{
    /// <summary>The <see cref="ChasiSre.Schemas.V1.Diagnosis.Engine"/> of rule-based diagnoses.</summary>
    public const string RulesEngine = DiagnosisEngines.Rules;

    private readonly IChatClient chat;
    private readonly EvidencePackBuilder packs;
    private readonly Func<CancellationToken, Task<KnowledgeBase>>? knowledge;
    private readonly DiagnosisOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    /// <summary>Creates the engine.</summary>
    /// <param name="chat">The LLM pipeline (<c>AddChasiLlm()</c>); the deterministic provider when none is configured.</param>
    /// <param name="packs">Builds the evidence packs.</param>
    /// <param name="options">Settings.</param>
    /// <param name="knowledge">Runbooks and docs to retrieve from; none means no knowledge section.</param>
    /// <param name="time">The clock of <c>diagnosed_at</c>.</param>
    /// <param name="logger">Logs.</param>
    public DiagnosisEngine(IChatClient chat, EvidencePackBuilder packs, DiagnosisOptions options, KnowledgeBase? knowledge = null, TimeProvider? time = null, ILogger<DiagnosisEngine>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(chat);
        ArgumentNullException.ThrowIfNull(packs);
        ArgumentNullException.ThrowIfNull(options);
        this.chat = chat;
        this.packs = packs;
        this.options = options;
        this.knowledge = knowledge is null ? null : _ => Task.FromResult(knowledge);
        this.time = time ?? TimeProvider.System;
        this.logger = logger ?? NullLogger<DiagnosisEngine>.Instance;
    }

    /// <summary>Creates the engine over the knowledge base a <see cref="KnowledgeBaseProvider"/> opens on first use.</summary>
    public DiagnosisEngine(IChatClient chat, EvidencePackBuilder packs, DiagnosisOptions options, KnowledgeBaseProvider knowledge, TimeProvider? time = null, ILogger<DiagnosisEngine>? logger = null)
        : this(chat, packs, options, (KnowledgeBase?)null, time, logger)
    {
        ArgumentNullException.ThrowIfNull(knowledge);
        this.knowledge = knowledge.GetAsync;
    }

    /// <summary>Diagnoses <paramref name="incident"/> from <paramref name="inputs"/> (its objects, events, logs, ...).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<DiagnosisOutcome> DiagnoseAsync(Incident incident, EvidenceInputs inputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(inputs);
        var started = Stopwatch.GetTimestamp();
        using var activity = DiagnosisTelemetry.Source.StartActivity("diagnosis.diagnose");
        activity?.SetTag("chasi.incident.id", incident.Id);

        var hits = await RetrieveAsync(incident, cancellationToken);
        var pack = packs.Build(incident, hits.Count == 0 ? inputs : inputs with { Knowledge = [.. hits.Select(h => new KnowledgeEvidence(h.Citation, h.Chunk.HeadingPath, h.Chunk.Text))] });
        var contract = new AnswerContract(pack);

        DiagnosisAnswer? answer = null;
        var source = DiagnosisSource.Rules;
        var calls = 0;
        IReadOnlyList<string> errors = [];
        string engine = RulesEngine;
        try
        {
            var messages = DiagnosisPrompt.Messages(pack);
            var chatOptions = DiagnosisPrompt.Redaction(incident, pack).ApplyTo(new ChatOptions
            {
                ResponseFormat = ChatResponseFormat.ForJsonSchema(contract.Schema, "diagnosis", "Root cause, layer, confidence, cited evidence ids, remediation and proposed actions of one incident."),
                Temperature = options.Temperature,
                Seed = options.Seed,
                MaxOutputTokens = options.MaxAnswerTokens,
            });
            calls++;
            var response = await chat.GetResponseAsync(messages, chatOptions, cancellationToken);
            if (!DeterministicChatClient.IsNoLlmConfigured(response))
            {
                engine = Engine(response);
                answer = contract.Read(response.Text, out errors);
                source = DiagnosisSource.Llm;
                if (answer is null)
                {
                    logger.RepairRound(incident.Id, string.Join("; ", errors));
                    DiagnosisPrompt.AddRepair(messages, response.Text, errors);
                    calls++;
                    response = await chat.GetResponseAsync(messages, chatOptions, cancellationToken);
                    answer = contract.Read(response.Text, out errors);
                    source = DiagnosisSource.LlmRepaired;
                    if (answer is null)
                    {
                        logger.StillInvalid(incident.Id, string.Join("; ", errors));
                        source = DiagnosisSource.RulesAfterInvalidAnswer;
                    }
                }
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not ArgumentException)
        {
            // A provider outage must not stop diagnoses: the rules still know what the detectors found.
            logger.LlmFailed(ex, incident.Id);
            source = DiagnosisSource.RulesAfterLlmFailure;
        }

        if (answer is null)
        {
            answer = RuleDiagnoser.Diagnose(incident, pack, contract);
            engine = RulesEngine;
        }

        var diagnosis = ToRecord(incident, pack, inputs, hits, answer, engine, calls);
        var elapsed = Stopwatch.GetElapsedTime(started);
        DiagnosisTelemetry.Record(source, calls, elapsed);
        logger.Diagnosed(incident.Id, incident.Revision, engine, elapsed, calls, diagnosis.Confidence);
        return new DiagnosisOutcome(diagnosis, pack, source, calls, errors);
    }

    private async Task<IReadOnlyList<KnowledgeHit>> RetrieveAsync(Incident incident, CancellationToken cancellationToken)
    {
        if (knowledge is null || options.KnowledgeChunks == 0)
        {
            return [];
        }

        // A host incident that hurts several tenants reads shared documents only: one tenant's private runbook must not
        // reach a pack another tenant's diagnosis may show.
        var tenants = incident.Tenants.Append(incident.Tenant).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var tenant = tenants.Count == 1 ? tenants[0] : null;
        var query = string.Join(' ', new[] { incident.Category, incident.Title, incident.Summary }
            .Concat(incident.Signals.Select(s => s.Reason).Distinct(StringComparer.Ordinal).Take(4))
            .Where(s => !string.IsNullOrWhiteSpace(s)));
        try
        {
            var store = await knowledge(cancellationToken);
            return await store.SearchAsync(new KnowledgeQuery(query, tenant, options.KnowledgeChunks), cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.RetrievalFailed(ex, incident.Id);
            return [];
        }
    }

    private string Engine(ChatResponse response)
    {
        var metadata = chat.GetService<ChatClientMetadata>();
        var provider = metadata?.ProviderName ?? "llm";
        var model = response.ModelId ?? metadata?.DefaultModelId ?? "unknown";
        return $"{provider}:{model}";
    }

    private ChasiSre.Schemas.V1.Diagnosis ToRecord(Incident incident, EvidencePack pack, EvidenceInputs inputs, IReadOnlyList<KnowledgeHit> hits, DiagnosisAnswer answer, string engine, int calls)
    {
        var lines = pack.Text.Split('\n');
        string Line(string id) => lines.FirstOrDefault(l => l.StartsWith($"[{id}]", StringComparison.Ordinal))?.Trim() ?? $"[{id}]";

        var diagnosis = new ChasiSre.Schemas.V1.Diagnosis
        {
            IncidentId = incident.Id,
            IncidentRevision = incident.Revision,
            Tenant = incident.Tenant,
            RootCause = answer.RootCause,
            Confidence = answer.Confidence,
            Engine = engine,
            DiagnosedAt = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
            Layer = answer.Layer,
            Category = incident.Category,
            LlmCalls = calls,
            Explanation = string.Join('\n', answer.Evidence.Select(Line).Select(l => l.Length > 300 ? l[..299] + "…" : l)),
        };

        foreach (var id in answer.Evidence)
        {
            if (pack.Find(id) is not { } item)
            {
                continue;
            }

            var summary = Line(id);
            summary = summary.Length > 160 ? summary[..159] + "…" : summary;
            var topic = item.Section switch
            {
                EvidenceSection.Signals or EvidenceSection.Metrics => TopicCatalog.Signals.Name,
                EvidenceSection.Events => TopicCatalog.Events.Name,
                EvidenceSection.Logs => TopicCatalog.Logs.Name,
                EvidenceSection.Objects or EvidenceSection.Mapping => TopicCatalog.Objects.Name,
                EvidenceSection.Business => TopicCatalog.Business.Name,
                _ => "",
            };
            foreach (var record in item.RecordIds.DefaultIfEmpty("").Take(3))
            {
                diagnosis.Evidence.Add(new EvidenceRef { Topic = topic, RecordId = record, Summary = summary, Key = item.Subject is { } s ? RuleDiagnoser.Label(s) : "" });
            }
        }

        foreach (var id in answer.Citations)
        {
            if (pack.Find(id) is not { RecordIds: [var citation, ..] })
            {
                continue;
            }

            var chunk = citation.StartsWith("kb:", StringComparison.Ordinal) ? citation[3..] : citation;
            var hit = hits.FirstOrDefault(h => h.Citation == citation);
            diagnosis.Citations.Add(new Citation
            {
                DocumentId = chunk.Split('#')[0],
                ChunkId = chunk,
                Title = hit?.Chunk.HeadingPath ?? inputs.Knowledge.FirstOrDefault(k => k.Citation == citation)?.Heading ?? "",
                Score = hit?.Score ?? 0,
            });
        }

        var step = 0;
        foreach (var text in answer.Remediation)
        {
            diagnosis.Remediations.Add(new Remediation { Id = $"step-{++step}", Title = text });
        }

        var n = 0;
        foreach (var action in answer.Actions)
        {
            var remediation = new Remediation
            {
                Id = $"action-{++n}",
                Title = $"{action.Action.Name} {RuleDiagnoser.Label(action.Target)}",
                Description = action.Reason,
                Action = action.Action.Name,
                Target = action.Target,
                Risk = action.Risk,
            };
            foreach (var (name, value) in action.Parameters)
            {
                remediation.Parameters[name] = value;
            }
            diagnosis.Remediations.Add(remediation);
        }

        return diagnosis;
    }
}
