using System.Globalization;
using System.Text;

namespace ChasiSre.Ingest.Metrics;

/// <summary>
/// Streaming parser of the Prometheus text exposition format 0.0.4 and the OpenMetrics 1.0 text
/// subset scrapers meet (<c># TYPE</c>, <c># HELP</c>, <c># UNIT</c>, <c># EOF</c>, <c>_total</c> /
/// <c>_created</c>, exemplars skipped). Reads the body once with a buffer of at most one line
/// plus one read chunk, so memory is bounded by the <see cref="PrometheusParserLimits"/> whatever
/// the input: a line, body, sample count or label beyond a limit, invalid UTF-8 or invalid syntax
/// throws <see cref="PrometheusFormatException"/> and the whole scrape is rejected (as Prometheus does).
/// </summary>
public sealed class PrometheusTextParser
{
    private const int ReadChunk = 64 * 1024;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly PrometheusParserLimits limits;

    /// <summary>Creates a parser with the given limits.</summary>
    public PrometheusTextParser(PrometheusParserLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        this.limits = limits;
    }

    /// <summary>The format a response's Content-Type names: OpenMetrics for <c>application/openmetrics-text</c>, else 0.0.4.</summary>
    public static PrometheusTextFormat FormatOf(string? contentType) =>
        contentType is not null && contentType.Contains("application/openmetrics-text", StringComparison.OrdinalIgnoreCase)
            ? PrometheusTextFormat.OpenMetrics1
            : PrometheusTextFormat.Prometheus004;

    /// <summary>Parses a whole body.</summary>
    /// <exception cref="PrometheusFormatException">The body is invalid or breaks a limit.</exception>
    public async Task<PrometheusScrape> ParseAsync(Stream stream, PrometheusTextFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var state = new ParseState(limits, format);
        var buffer = new byte[limits.MaxLineBytes + ReadChunk + 1];
        int start = 0, end = 0;
        long total = 0;
        var eof = false;
        while (true)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                state.Line(buffer.AsSpan(start, newline));
                start += newline + 1;
                continue;
            }

            if (end - start > limits.MaxLineBytes)
            {
                throw new PrometheusFormatException(state.LineNumber + 1, $"line longer than {limits.MaxLineBytes} bytes", limitExceeded: true);
            }

            if (eof)
            {
                if (end > start)
                {
                    state.Line(buffer.AsSpan(start, end - start));
                }

                break;
            }

            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }

            var read = await stream.ReadAsync(buffer.AsMemory(end, Math.Min(ReadChunk, buffer.Length - end)), cancellationToken);
            if (read == 0)
            {
                eof = true;
                continue;
            }

            total += read;
            if (total > limits.MaxBytes)
            {
                throw new PrometheusFormatException(0, $"body larger than {limits.MaxBytes} bytes", limitExceeded: true);
            }

            end += read;
        }

        return state.Finish(total);
    }

    /// <summary>Parses a body held in memory.</summary>
    /// <exception cref="PrometheusFormatException">The body is invalid or breaks a limit.</exception>
    public Task<PrometheusScrape> ParseAsync(string text, PrometheusTextFormat format = PrometheusTextFormat.Prometheus004, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ParseAsync(new MemoryStream(Encoding.UTF8.GetBytes(text), writable: false), format, cancellationToken);
    }

    private sealed class Family(MetricFamilyType type)
    {
        public MetricFamilyType Type { get; set; } = type;

        public bool Typed { get; set; }

        public bool Helped { get; set; }

        public string Unit { get; set; } = "";

        public bool HasSamples { get; set; }
    }

    private sealed class ParseState(PrometheusParserLimits limits, PrometheusTextFormat format)
    {
        private readonly Dictionary<string, Family> families = new(StringComparer.Ordinal);
        private readonly List<ScrapedSample> samples = [];
        private readonly List<KeyValuePair<string, string>> labels = [];
        private readonly StringBuilder text = new();
        private bool sawEof;
        private int ignored;

        public int LineNumber { get; private set; }

        private bool OpenMetrics => format == PrometheusTextFormat.OpenMetrics1;

        public void Line(ReadOnlySpan<byte> bytes)
        {
            LineNumber++;
            if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
            {
                bytes = bytes[..^1];
            }

            string line;
            try
            {
                line = StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException e)
            {
                throw Error($"invalid UTF-8 at byte {e.Index}", e);
            }

            if (sawEof)
            {
                throw Error("content after # EOF");
            }

            if (line.Length == 0)
            {
                if (OpenMetrics)
                {
                    throw Error("empty line (not allowed in OpenMetrics)");
                }

                return;
            }

            if (line[0] == '#')
            {
                Comment(line);
                return;
            }

            Sample(line);
        }

        public PrometheusScrape Finish(long bytes)
        {
            if (OpenMetrics && !sawEof)
            {
                throw new PrometheusFormatException(LineNumber, "OpenMetrics body does not end with # EOF (truncated?)");
            }

            return new PrometheusScrape(samples, families.Count, bytes, LineNumber, ignored);
        }

        private void Comment(string line)
        {
            var cursor = new Cursor(line, 1);
            cursor.SkipBlanks();
            var keyword = cursor.Token();
            switch (keyword)
            {
                case "EOF" when OpenMetrics:
                    cursor.SkipBlanks();
                    if (!cursor.End)
                    {
                        throw Error("unexpected text after # EOF");
                    }

                    sawEof = true;
                    return;
                case "HELP" or "TYPE" or "UNIT":
                    break;
                default:
                    if (OpenMetrics)
                    {
                        throw Error($"unknown comment '# {keyword}' (OpenMetrics allows HELP, TYPE, UNIT and EOF)");
                    }

                    return;
            }

            if (!cursor.SkipBlanks())
            {
                throw Error($"# {keyword} without a metric name");
            }

            var name = cursor.MetricName() ?? throw Error($"# {keyword}: invalid metric name");
            var family = FamilyFor(name);
            var hasRest = cursor.SkipBlanks();
            switch (keyword)
            {
                case "TYPE":
                    if (family.Typed)
                    {
                        throw Error($"second TYPE line for {name}");
                    }

                    if (family.HasSamples)
                    {
                        throw Error($"TYPE line for {name} after its samples");
                    }

                    var type = hasRest ? cursor.Rest().TrimEnd() : "";
                    family.Type = ParseType(type) ?? throw Error($"unknown metric type '{type}'");
                    family.Typed = true;
                    break;
                case "HELP":
                    if (family.Helped)
                    {
                        throw Error($"second HELP line for {name}");
                    }

                    ValidateHelp(hasRest ? cursor.Rest() : "");
                    family.Helped = true;
                    break;
                default:
                    family.Unit = hasRest ? cursor.Rest().TrimEnd() : "";
                    break;
            }
        }

        private void ValidateHelp(string help)
        {
            for (var i = 0; i < help.Length; i++)
            {
                if (help[i] != '\\')
                {
                    continue;
                }

                if (i + 1 >= help.Length || help[i + 1] is not ('\\' or 'n' or '"'))
                {
                    throw Error("invalid escape sequence in HELP");
                }

                i++;
            }
        }

        private Family FamilyFor(string name)
        {
            if (families.TryGetValue(name, out var family))
            {
                return family;
            }

            if (families.Count >= limits.MaxSeries)
            {
                throw Error($"more than {limits.MaxSeries} metric families", limit: true);
            }

            family = new Family(MetricFamilyType.Untyped);
            families[name] = family;
            return family;
        }

        private MetricFamilyType? ParseType(string type) => type switch
        {
            "counter" => MetricFamilyType.Counter,
            "gauge" => MetricFamilyType.Gauge,
            "histogram" => MetricFamilyType.Histogram,
            "summary" => MetricFamilyType.Summary,
            "untyped" when !OpenMetrics => MetricFamilyType.Untyped,
            "unknown" when OpenMetrics => MetricFamilyType.Untyped,
            "gaugehistogram" when OpenMetrics => MetricFamilyType.GaugeHistogram,
            "info" when OpenMetrics => MetricFamilyType.Info,
            "stateset" when OpenMetrics => MetricFamilyType.StateSet,
            _ => null,
        };

        private void Sample(string line)
        {
            var cursor = new Cursor(line, 0);
            var name = cursor.MetricName() ?? throw Error("invalid metric name");
            labels.Clear();
            var blanks = cursor.SkipBlanks();
            if (cursor.Peek == '{')
            {
                cursor.Advance();
                Labels(ref cursor);
                cursor.SkipBlanks();
                blanks = !cursor.End;
            }

            if (!blanks)
            {
                throw Error($"{name}: no value");
            }

            var valueText = cursor.Token();
            var value = ParseValue(valueText) ?? throw Error($"{name}: invalid value '{Shorten(valueText)}'");
            long? timestamp = null;
            if (cursor.SkipBlanks() && cursor.Peek != '#')
            {
                var timestampText = cursor.Token();
                timestamp = ParseTimestamp(timestampText) ?? throw Error($"{name}: invalid timestamp '{Shorten(timestampText)}'");
                cursor.SkipBlanks();
            }

            if (!cursor.End)
            {
                if (!(OpenMetrics && cursor.Peek == '#'))
                {
                    throw Error($"{name}: unexpected text after the value");
                }

                // An exemplar (" # {trace_id=\"...\"} 1.0 [ts]"): validated for shape, then dropped.
                cursor.Advance();
                cursor.SkipBlanks();
                if (cursor.Peek != '{')
                {
                    throw Error($"{name}: invalid exemplar");
                }
            }

            var (familyName, family) = Resolve(name);
            if (OpenMetrics && name.EndsWith("_created", StringComparison.Ordinal) && familyName != name)
            {
                ignored++;
                return;
            }

            if (samples.Count >= limits.MaxSeries)
            {
                throw Error($"more than {limits.MaxSeries} series in one scrape", limit: true);
            }

            family.HasSamples = true;
            var sorted = labels.Count switch
            {
                0 => Array.Empty<KeyValuePair<string, string>>(),
                _ => SortedLabels(name),
            };
            samples.Add(new ScrapedSample(name, sorted, value, timestamp, familyName, family.Type, family.Unit, Monotonic(name, familyName, family.Type)));
        }

        private KeyValuePair<string, string>[] SortedLabels(string name)
        {
            var sorted = labels.ToArray();
            Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
            for (var i = 1; i < sorted.Length; i++)
            {
                if (sorted[i].Key == sorted[i - 1].Key)
                {
                    throw Error($"{name}: duplicate label '{sorted[i].Key}'");
                }
            }

            return sorted;
        }

        private void Labels(ref Cursor cursor)
        {
            while (true)
            {
                cursor.SkipBlanks();
                if (cursor.Peek == '}')
                {
                    cursor.Advance();
                    return;
                }

                var labelName = cursor.LabelName() ?? throw Error(cursor.End ? "unterminated label set" : "invalid label name");
                if (labelName.Length > limits.MaxLabelNameLength)
                {
                    throw Error($"label name longer than {limits.MaxLabelNameLength} characters", limit: true);
                }

                cursor.SkipBlanks();
                if (cursor.Peek != '=')
                {
                    throw Error($"expected '=' after label name '{labelName}'");
                }

                cursor.Advance();
                cursor.SkipBlanks();
                if (cursor.Peek != '"')
                {
                    throw Error($"expected '\"' to open the value of label '{labelName}'");
                }

                cursor.Advance();
                text.Clear();
                while (true)
                {
                    if (cursor.End)
                    {
                        throw Error($"unterminated value of label '{labelName}'");
                    }

                    var c = cursor.Peek;
                    cursor.Advance();
                    if (c == '"')
                    {
                        break;
                    }

                    if (c == '\\')
                    {
                        var escaped = cursor.End ? '\0' : cursor.Peek;
                        cursor.Advance();
                        text.Append(escaped switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw Error($"invalid escape sequence in the value of label '{labelName}'"),
                        });
                    }
                    else
                    {
                        text.Append(c);
                    }

                    if (text.Length > limits.MaxLabelValueLength)
                    {
                        throw Error($"value of label '{labelName}' longer than {limits.MaxLabelValueLength} characters", limit: true);
                    }
                }

                if (labels.Count >= limits.MaxLabels)
                {
                    throw Error($"more than {limits.MaxLabels} labels on one sample", limit: true);
                }

                labels.Add(new(labelName, text.ToString()));
                cursor.SkipBlanks();
                if (cursor.Peek == ',')
                {
                    cursor.Advance();
                    continue;
                }

                if (cursor.Peek == '}')
                {
                    cursor.Advance();
                    return;
                }

                throw Error(cursor.End ? "unterminated label set" : $"expected ',' or '}}' after label '{labelName}'");
            }
        }

        private (string Name, Family Family) Resolve(string name)
        {
            if (families.TryGetValue(name, out var exact) && exact.Typed)
            {
                return (name, exact);
            }

            foreach (var suffix in Suffixes)
            {
                if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal)
                    && families.TryGetValue(name[..^suffix.Length], out var parent) && parent.Typed && Fits(parent.Type, suffix))
                {
                    return (name[..^suffix.Length], parent);
                }
            }

            return (name, exact ?? FamilyFor(name));
        }

        private static readonly string[] Suffixes = ["_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum", "_info"];

        private static bool Fits(MetricFamilyType type, string suffix) => type switch
        {
            MetricFamilyType.Counter => suffix is "_total" or "_created",
            MetricFamilyType.Histogram => suffix is "_bucket" or "_count" or "_sum" or "_created",
            MetricFamilyType.Summary => suffix is "_count" or "_sum" or "_created",
            MetricFamilyType.GaugeHistogram => suffix is "_bucket" or "_gcount" or "_gsum",
            MetricFamilyType.Info => suffix is "_info",
            _ => false,
        };

        private static bool Monotonic(string name, string family, MetricFamilyType type) => type switch
        {
            MetricFamilyType.Counter => true,
            MetricFamilyType.Histogram => name != family,
            MetricFamilyType.Summary => name != family,
            _ => false,
        };

        private long? ParseTimestamp(string token)
        {
            if (OpenMetrics)
            {
                return double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds)
                    && Math.Abs(seconds) < 9.2e15
                    ? (long)Math.Round(seconds * 1000.0)
                    : null;
            }

            return long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var milliseconds) ? milliseconds : null;
        }

        private static double? ParseValue(string token)
        {
            switch (token.ToUpperInvariant())
            {
                case "NAN":
                    return double.NaN;
                case "+INF" or "INF":
                    return double.PositiveInfinity;
                case "-INF":
                    return double.NegativeInfinity;
            }

            // NumberStyles.Float alone would accept "Infinity", "∞" and currency-free oddities; digits only.
            foreach (var c in token)
            {
                if (!(char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '+' or '-'))
                {
                    return null;
                }
            }

            return double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                ? value
                : null;
        }

        private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";

        private PrometheusFormatException Error(string reason, Exception? inner = null) => new(LineNumber, reason, inner: inner);

        private PrometheusFormatException Error(string reason, bool limit) => new(LineNumber, reason, limitExceeded: limit);
    }

    private ref struct Cursor(string line, int position)
    {
        private readonly string line = line;
        private int position = position;

        public readonly bool End => position >= line.Length;

        public readonly char Peek => position < line.Length ? line[position] : '\0';

        public void Advance() => position++;

        /// <summary>Skips spaces and tabs; true when something follows.</summary>
        public bool SkipBlanks()
        {
            var before = position;
            while (position < line.Length && line[position] is ' ' or '\t')
            {
                position++;
            }

            return position > before && position < line.Length;
        }

        public string Token()
        {
            var begin = position;
            while (position < line.Length && line[position] is not (' ' or '\t'))
            {
                position++;
            }

            return line[begin..position];
        }

        public string Rest()
        {
            var rest = line[position..];
            position = line.Length;
            return rest;
        }

        public string? MetricName() => Identifier(allowColon: true);

        public string? LabelName() => Identifier(allowColon: false);

        private string? Identifier(bool allowColon)
        {
            var begin = position;
            while (position < line.Length)
            {
                var c = line[position];
                var ok = char.IsAsciiLetter(c) || c == '_' || (allowColon && c == ':') || (position > begin && char.IsAsciiDigit(c));
                if (!ok)
                {
                    break;
                }

                position++;
            }

            return position > begin ? line[begin..position] : null;
        }
    }
}
