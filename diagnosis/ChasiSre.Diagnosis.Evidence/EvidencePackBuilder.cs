using System.Text;
using ChasiSre.Schemas.V1;
using Microsoft.Extensions.Options;
using Microsoft.ML.Tokenizers;

namespace ChasiSre.Diagnosis.Evidence;

/// <summary>
/// Builds the evidence pack of an incident: compact text with citable ids, sections in priority order (incident,
/// signals, events, logs, objects, host ↔ virtual mapping, metrics, business, knowledge), held to a token budget
/// counted with a real cl100k_base tokenizer (for a business-layer incident the business section comes right after the
/// signals). Lower-priority sections shrink or drop first; within a section items are
/// cut at the end, never through an id. Pure: the same inputs, in any order, give the same text and ids.
/// </summary>
public sealed class EvidencePackBuilder
{
    private static readonly Lazy<Tokenizer> DefaultTokenizer = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"));

    private readonly EvidencePackOptions options;
    private readonly Tokenizer tokenizer;

    public EvidencePackBuilder(IOptions<EvidencePackOptions> options, Tokenizer? tokenizer = null)
        : this(options?.Value ?? throw new ArgumentNullException(nameof(options)), tokenizer)
    {
    }

    public EvidencePackBuilder(EvidencePackOptions options, Tokenizer? tokenizer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        this.tokenizer = tokenizer ?? DefaultTokenizer.Value;
    }

    /// <summary>The cl100k_base tokenizer packs are counted with unless another is given.</summary>
    public static Tokenizer Cl100kBase => DefaultTokenizer.Value;

    /// <summary>Tokens of <paramref name="text"/> as this builder counts them.</summary>
    public int CountTokens(string text) => tokenizer.CountTokens(text);

    /// <summary>Builds the pack of <paramref name="incident"/> within <see cref="EvidencePackOptions.MaxTokens"/>.</summary>
    public EvidencePack Build(Incident incident, EvidenceInputs inputs) => Build(incident, inputs, options.MaxTokens);

    /// <summary>Builds the pack of <paramref name="incident"/> within <paramref name="maxTokens"/> tokens.</summary>
    public EvidencePack Build(Incident incident, EvidenceInputs inputs, int maxTokens)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 1);

        var scope = new IncidentScope(incident);
        scope.Learn(inputs.Objects.Select(o => o.Ref).OfType<ObjectRef>());
        var day = DateOnly.FromDateTime((incident.OpenedAt ?? incident.UpdatedAt)?.ToDateTime() ?? DateTime.UnixEpoch);
        var outOfScope = 0;
        var references = scope.Related.Concat(inputs.Objects.Select(o => o.Ref).OfType<ObjectRef>()).ToList();
        IReadOnlyList<EvidenceSections.Composed> sections =
        [
            EvidenceSections.Incident(incident, scope, day, options),
            EvidenceSections.Signals(incident, inputs.Signals, scope, day, options),
            EvidenceSections.Events(inputs.Events, scope, day, options, ref outOfScope),
            EvidenceSections.Logs(inputs.Logs, scope, day, options, ref outOfScope),
            EvidenceSections.Objects(inputs.Objects, scope, day, options, CountLine, ref outOfScope),
            EvidenceSections.Mapping(incident, references, scope, options),
            EvidenceSections.Metrics(incident, inputs.Signals, inputs.Metrics, scope, day, options, ref outOfScope),
            EvidenceSections.Business(inputs.Business, scope, day, options, ref outOfScope),
            EvidenceSections.Knowledge(inputs.Knowledge, options),
        ];
        if (incident.Layer == Layer.Business)
        {
            // An incident a business adapter raised is about what the adapter reports: its status, events and logs come
            // right after the signals, before the Kubernetes context that would otherwise use the budget up.
            sections = [.. sections.Take(2), .. sections.Where(s => s.Section == EvidenceSection.Business), .. sections.Skip(2).Where(s => s.Section != EvidenceSection.Business)];
        }

        var placed = Place(sections, maxTokens, inputs.Knowledge.Count > 0 ? Math.Min(options.KnowledgeReserveTokens, maxTokens / 2) : 0);
        var text = Render(placed);
        var tokens = tokenizer.CountTokens(text);
        // Line counts add up to the text's count (cl100k never merges across a line end); should a tokenizer disagree,
        // drop from the end until the text fits.
        while (tokens > maxTokens && RemoveLast(placed))
        {
            text = Render(placed);
            tokens = tokenizer.CountTokens(text);
        }

        var reports = placed.Select(p => new EvidenceSectionReport(
            p.Section.Section,
            p.Section.Available,
            p.Items.Count,
            p.Items.Count(i => i.Trimmed),
            p.Items.Count == 0 ? 0 : tokenizer.CountTokens(Render([p])))).ToList();
        var items = placed.SelectMany(p => p.Items).Select(i => i.Item.Source).OfType<EvidenceItem>().ToList();
        var pack = new EvidencePack(incident.Id, text, tokens, maxTokens, reports, items, outOfScope);
        EvidenceTelemetry.PackTokens.Record(tokens);
        if (pack.Truncated)
        {
            EvidenceTelemetry.PacksTruncated.Add(1);
        }

        return pack;
    }

    private int CountLine(string line) => tokenizer.CountTokens(line);

    // Greedy in priority order: each section takes what it needs from what the ones before it left; the first item that
    // does not fit ends the pack (a trimmable one first keeps the lines that fit).
    // The knowledge section, last, also gets the tokens reserved for it, even after an earlier section was cut.
    private List<PlacedSection> Place(IReadOnlyList<EvidenceSections.Composed> sections, int maxTokens, int knowledgeReserve)
    {
        var remaining = maxTokens - knowledgeReserve;
        var exhausted = false;
        var placed = new List<PlacedSection>();
        foreach (var section in sections)
        {
            if (section.Section == EvidenceSection.Knowledge && knowledgeReserve > 0)
            {
                remaining += knowledgeReserve;
                exhausted = false;
            }

            var result = new PlacedSection(section, []);
            placed.Add(result);
            var headingCost = section.Heading is null ? 0 : Count(section.Heading);
            foreach (var item in section.Items)
            {
                if (exhausted)
                {
                    // Once an item did not fit, everything of lower priority is dropped, even what would still fit:
                    // a lower-priority section never wins over a higher one.
                    break;
                }

                var heading = result.Items.Count == 0 ? headingCost : 0;
                var costs = item.Lines.Select(Count).ToList();
                var cost = heading + costs.Sum();
                if (cost <= remaining)
                {
                    result.Items.Add(new PlacedItem(item, item.Lines, Trimmed: false));
                    remaining -= cost;
                    continue;
                }

                exhausted = true;
                if (item.Trimmable && item.Lines.Count > 1)
                {
                    var marker = "  " + EvidenceText.Ellipsis;
                    var budget = remaining - heading - Count(marker);
                    var used = 0;
                    var kept = 0;
                    while (kept < item.Lines.Count && used + costs[kept] <= budget)
                    {
                        used += costs[kept];
                        kept++;
                    }

                    if (kept > 0)
                    {
                        result.Items.Add(new PlacedItem(item, [.. item.Lines.Take(kept), marker], Trimmed: true));
                        remaining -= heading + used + Count(marker);
                    }
                }

                break;
            }
        }

        return placed;
    }

    private int Count(string line) => tokenizer.CountTokens(line + "\n");

    private static string Render(IEnumerable<PlacedSection> sections)
    {
        var text = new StringBuilder();
        foreach (var section in sections)
        {
            if (section.Items.Count == 0)
            {
                continue;
            }

            if (section.Section.Heading is { } heading)
            {
                text.Append(heading).Append('\n');
            }

            foreach (var item in section.Items)
            {
                foreach (var line in item.Lines)
                {
                    text.Append(line).Append('\n');
                }
            }
        }

        return text.ToString();
    }

    private static bool RemoveLast(List<PlacedSection> placed)
    {
        // Never the incident's first line: a pack always says what it is about.
        for (var i = placed.Count - 1; i >= 0; i--)
        {
            var items = placed[i].Items;
            if (items.Count > (i == 0 ? 1 : 0))
            {
                items.RemoveAt(items.Count - 1);
                return true;
            }
        }

        return false;
    }

    private sealed record PlacedSection(EvidenceSections.Composed Section, List<PlacedItem> Items);

    private sealed record PlacedItem(PackItem Item, IReadOnlyList<string> Lines, bool Trimmed);
}
