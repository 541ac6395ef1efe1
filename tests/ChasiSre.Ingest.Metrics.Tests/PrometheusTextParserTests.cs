using System.Text;

namespace ChasiSre.Ingest.Metrics.Tests;

public sealed class PrometheusTextParserTests
{
    private static readonly PrometheusTextParser Parser = new(new PrometheusParserLimits());

    [Theory]
    [InlineData("up 1", "up", "", 1.0, null)]
    [InlineData("http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000", "http_requests_total", "code=200,method=post", 1027.0, 1395066363000L)]
    [InlineData("metric_without_timestamp_and_labels 12.47", "metric_without_timestamp_and_labels", "", 12.47, null)]
    [InlineData("something_weird{problem=\"division by zero\"} +Inf -3982045", "something_weird", "problem=division by zero", double.PositiveInfinity, -3982045L)]
    [InlineData("neg{a=\"b\"} -Inf", "neg", "a=b", double.NegativeInfinity, null)]
    [InlineData("nan_metric NaN", "nan_metric", "", double.NaN, null)]
    [InlineData("sci 1.5e-3", "sci", "", 0.0015, null)]
    [InlineData("trailing_comma{a=\"1\",} 2", "trailing_comma", "a=1", 2.0, null)]
    [InlineData("spaces { b = \"2\" , a = \"1\" }\t3", "spaces", "a=1,b=2", 3.0, null)]
    [InlineData("colon:name:sum 4", "colon:name:sum", "", 4.0, null)]
    [InlineData("empty_labels{} 5", "empty_labels", "", 5.0, null)]
    [InlineData("empty_value{a=\"\"} 6", "empty_value", "a=", 6.0, null)]
    [InlineData("utf8{msg=\"héllo 世界\"} 7", "utf8", "msg=héllo 世界", 7.0, null)]
    public async Task ParseAsync_ValidSampleLine_ReturnsSample(string line, string name, string labels, double value, long? timestamp)
    {
        var scrape = await Parser.ParseAsync(line + "\n", cancellationToken: TestContext.Current.CancellationToken);

        var sample = Assert.Single(scrape.Samples);
        Assert.Equal(name, sample.Name);
        Assert.Equal(labels, string.Join(",", sample.Labels.Select(l => $"{l.Key}={l.Value}")));
        Assert.Equal(value, sample.Value);
        Assert.Equal(timestamp, sample.TimestampMs);
    }

    [Fact]
    public async Task ParseAsync_EscapedLabelValue_Unescapes()
    {
        var scrape = await Parser.ParseAsync("msdos_file_access_time_seconds{path=\"C:\\\\DIR\\\\FILE.TXT\",error=\"Cannot find file:\\n\\\"FILE.TXT\\\"\"} 1.458255915e9\n", cancellationToken: TestContext.Current.CancellationToken);

        var sample = Assert.Single(scrape.Samples);
        Assert.Equal("Cannot find file:\n\"FILE.TXT\"", sample.Labels.Single(l => l.Key == "error").Value);
        Assert.Equal("C:\\DIR\\FILE.TXT", sample.Labels.Single(l => l.Key == "path").Value);
        Assert.Equal(1.458255915e9, sample.Value);
    }

    [Fact]
    public async Task ParseAsync_HistogramAndSummaryFamilies_AssignFamilyTypeAndMonotonicity()
    {
        const string body = """
            # HELP http_request_duration_seconds A histogram of the request duration.
            # TYPE http_request_duration_seconds histogram
            http_request_duration_seconds_bucket{le="0.05"} 24054
            http_request_duration_seconds_bucket{le="+Inf"} 144320
            http_request_duration_seconds_sum 53423
            http_request_duration_seconds_count 144320
            # HELP rpc_duration_seconds A summary of the RPC duration in seconds.
            # TYPE rpc_duration_seconds summary
            rpc_duration_seconds{quantile="0.5"} 4773
            rpc_duration_seconds_sum 1.7560473e+07
            rpc_duration_seconds_count 2693
            # TYPE temperature gauge
            temperature 21.5
            # A plain comment is allowed in 0.0.4
            untyped_thing 3

            """;

        var scrape = await Parser.ParseAsync(body, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(9, scrape.Samples.Count);
        var byName = scrape.Samples.GroupBy(s => s.Name).ToDictionary(g => g.Key, g => g.First());
        Assert.All(scrape.Samples.Where(s => s.Name.StartsWith("http_request", StringComparison.Ordinal)), s =>
        {
            Assert.Equal("http_request_duration_seconds", s.Family);
            Assert.Equal(MetricFamilyType.Histogram, s.Type);
            Assert.True(s.Monotonic);
        });
        Assert.Equal("+Inf", scrape.Samples[1].Labels.Single().Value);
        Assert.False(byName["rpc_duration_seconds"].Monotonic);
        Assert.True(byName["rpc_duration_seconds_sum"].Monotonic);
        Assert.Equal(MetricFamilyType.Summary, byName["rpc_duration_seconds_count"].Type);
        Assert.False(byName["temperature"].Monotonic);
        Assert.Equal(MetricFamilyType.Untyped, byName["untyped_thing"].Type);
    }

    [Fact]
    public async Task ParseAsync_OpenMetrics_HandlesTotalCreatedUnitExemplarsAndSecondsTimestamps()
    {
        const string body = """
            # TYPE acme_http_router_request_seconds summary
            # UNIT acme_http_router_request_seconds seconds
            # HELP acme_http_router_request_seconds Latency though all of ACME's HTTP request router.
            acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32
            acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0
            acme_http_router_request_seconds_created{path="/api/v1",method="GET"} 1605281325.0
            # TYPE requests counter
            requests_total{code="200"} 17 1520879607.789 # {trace_id="KOO5S4vxi0o"} 0.67
            requests_created{code="200"} 1520430000.123
            # TYPE build info
            build_info{version="1.2"} 1
            # EOF
            """;

        var scrape = await Parser.ParseAsync(body, PrometheusTextFormat.OpenMetrics1, TestContext.Current.CancellationToken);

        Assert.Equal(["acme_http_router_request_seconds_sum", "acme_http_router_request_seconds_count", "requests_total", "build_info"], scrape.Samples.Select(s => s.Name));
        Assert.Equal(2, scrape.Ignored);
        Assert.Equal("seconds", scrape.Samples[0].Unit);
        var requests = scrape.Samples[2];
        Assert.Equal("requests", requests.Family);
        Assert.True(requests.Monotonic);
        Assert.Equal(1520879607789L, requests.TimestampMs);
        Assert.Equal(MetricFamilyType.Info, scrape.Samples[3].Type);
    }

    [Fact]
    public async Task ParseAsync_CrLfLineEndings_Accepted()
    {
        var scrape = await Parser.ParseAsync("# TYPE a counter\r\na 1\r\nb{x=\"y\"} 2\r\n", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["a", "b"], scrape.Samples.Select(s => s.Name));
        Assert.Equal("y", scrape.Samples[1].Labels.Single().Value);
    }

    [Theory]
    [InlineData("no_value\n", 1, "no value")]
    [InlineData("ok 1\nbad_value abc\n", 2, "invalid value")]
    [InlineData("infinity_word Infinity\n", 1, "invalid value")]
    [InlineData("x{a=\"1\" 2\n", 1, "expected ',' or '}'")]
    [InlineData("x{a=\"1 2\n", 1, "unterminated value")]
    [InlineData("x{a=\"\\t\"} 2\n", 1, "invalid escape")]
    [InlineData("x{a=\"1\",a=\"2\"} 2\n", 1, "duplicate label 'a'")]
    [InlineData("x{1a=\"1\"} 2\n", 1, "invalid label name")]
    [InlineData("x{a=1} 2\n", 1, "expected '\"'")]
    [InlineData("9lives 1\n", 1, "invalid metric name")]
    [InlineData("x 1 notatime\n", 1, "invalid timestamp")]
    [InlineData("x 1 123 extra\n", 1, "unexpected text after the value")]
    [InlineData("x 1 # {trace_id=\"a\"} 1\n", 1, "unexpected text after the value")]
    [InlineData("# TYPE x counter\n# TYPE x gauge\n", 2, "second TYPE line")]
    [InlineData("# TYPE x histogramm\n", 1, "unknown metric type")]
    [InlineData("x 1\n# TYPE x gauge\n", 2, "after its samples")]
    [InlineData("# HELP x bad \\escape\n", 1, "invalid escape sequence in HELP")]
    [InlineData("# TYPE\n", 1, "without a metric name")]
    public async Task ParseAsync_InvalidPrometheusText_ThrowsWithLineAndReason(string body, int line, string reason)
    {
        var error = await Assert.ThrowsAsync<PrometheusFormatException>(() => Parser.ParseAsync(body, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(line, error.Line);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.False(error.LimitExceeded);
    }

    [Theory]
    [InlineData("a 1\n", "does not end with # EOF")]
    [InlineData("a 1\n# EOF\nb 2\n", "content after # EOF")]
    [InlineData("a 1\n\n# EOF\n", "empty line")]
    [InlineData("# random comment\n# EOF\n", "unknown comment")]
    [InlineData("# TYPE a untyped\n# EOF\n", "unknown metric type")]
    [InlineData("a 1 # trace\n# EOF\n", "invalid exemplar")]
    public async Task ParseAsync_InvalidOpenMetrics_Throws(string body, string reason)
    {
        var error = await Assert.ThrowsAsync<PrometheusFormatException>(() => Parser.ParseAsync(body, PrometheusTextFormat.OpenMetrics1, TestContext.Current.CancellationToken));

        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParseAsync_EndlessLine_FailsAtLineLimitWithoutReadingTheRest()
    {
        var parser = new PrometheusTextParser(new PrometheusParserLimits { MaxLineBytes = 4096 });
        var hostile = new GeneratedStream(_ => Encoding.ASCII.GetBytes(new string('a', 8192)), long.MaxValue);

        var error = await Assert.ThrowsAsync<PrometheusFormatException>(() => parser.ParseAsync(hostile, PrometheusTextFormat.Prometheus004, TestContext.Current.CancellationToken));

        Assert.True(error.LimitExceeded);
        Assert.Contains("longer than 4096 bytes", error.Reason, StringComparison.Ordinal);
        Assert.InRange(hostile.BytesRead, 4097, 4096 + (64 * 1024) + 1);
    }

    [Fact]
    public async Task ParseAsync_MillionSeries_FailsAtSeriesLimitEarly()
    {
        var parser = new PrometheusTextParser(new PrometheusParserLimits { MaxSeries = 10_000 });
        var lines = new GeneratedStream(i => Encoding.ASCII.GetBytes($"series_{i}{{instance=\"i-{i}\"}} {i}\n"), long.MaxValue);

        var error = await Assert.ThrowsAsync<PrometheusFormatException>(() => parser.ParseAsync(lines, PrometheusTextFormat.Prometheus004, TestContext.Current.CancellationToken));

        Assert.True(error.LimitExceeded);
        Assert.Equal(10_001, error.Line);
        Assert.True(lines.BytesRead < 1_000_000, $"read {lines.BytesRead} bytes");
    }

    [Fact]
    public async Task ParseAsync_MillionSeriesWithinLimits_ParsesAll()
    {
        var parser = new PrometheusTextParser(new PrometheusParserLimits { MaxSeries = 1_000_000, MaxBytes = 64L * 1024 * 1024 });
        const int count = 1_000_000;
        var lines = new GeneratedStream(i => Encoding.ASCII.GetBytes($"s{{i=\"{i}\"}} {i}\n"), Enumerable.Range(0, count).Sum(i => (long)$"s{{i=\"{i}\"}} {i}\n".Length));

        var scrape = await parser.ParseAsync(lines, PrometheusTextFormat.Prometheus004, TestContext.Current.CancellationToken);

        Assert.Equal(count, scrape.Samples.Count);
        Assert.Equal(count - 1, scrape.Samples[^1].Value);
    }

    [Fact]
    public async Task ParseAsync_BodyOverByteLimit_Fails()
    {
        var parser = new PrometheusTextParser(new PrometheusParserLimits { MaxBytes = 100_000 });
        var lines = new GeneratedStream(i => Encoding.ASCII.GetBytes($"a{i} 1\n"), long.MaxValue);

        var error = await Assert.ThrowsAsync<PrometheusFormatException>(() => parser.ParseAsync(lines, PrometheusTextFormat.Prometheus004, TestContext.Current.CancellationToken));

        Assert.True(error.LimitExceeded);
        Assert.Contains("larger than 100000 bytes", error.Reason, StringComparison.Ordinal);
        Assert.True(lines.BytesRead <= 100_000 + (64 * 1024));
    }

    [Theory]
    [InlineData(new byte[] { (byte)'a', (byte)' ', 0xC3, 0x28, (byte)'\n' })]
    [InlineData(new byte[] { (byte)'a', (byte)'{', (byte)'b', (byte)'=', (byte)'"', 0xFF, (byte)'"', (byte)'}', (byte)' ', (byte)'1', (byte)'\n' })]
    [InlineData(new byte[] { (byte)'a', (byte)' ', (byte)'1', (byte)'\n', 0xED, 0xA0, 0x80, (byte)'\n' })]
    public async Task ParseAsync_InvalidUtf8_FailsWithClearError(byte[] body)
    {
        var error = await Assert.ThrowsAsync<PrometheusFormatException>(() => Parser.ParseAsync(new MemoryStream(body), PrometheusTextFormat.Prometheus004, TestContext.Current.CancellationToken));

        Assert.Contains("invalid UTF-8", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParseAsync_TooManyLabels_Fails()
    {
        var parser = new PrometheusTextParser(new PrometheusParserLimits { MaxLabels = 3 });
        var error = await Assert.ThrowsAsync<PrometheusFormatException>(() => parser.ParseAsync("x{a=\"1\",b=\"2\",c=\"3\",d=\"4\"} 1\n", cancellationToken: TestContext.Current.CancellationToken));

        Assert.True(error.LimitExceeded);
        Assert.Contains("more than 3 labels", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x{a=\"" + "vvvvvvvvvvv" + "\"} 1\n", "value of label 'a' longer than 10")]
    [InlineData("x{abcdefghijk=\"v\"} 1\n", "label name longer than 10")]
    public async Task ParseAsync_LabelTooLong_Fails(string body, string reason)
    {
        var parser = new PrometheusTextParser(new PrometheusParserLimits { MaxLabelNameLength = 10, MaxLabelValueLength = 10 });
        var error = await Assert.ThrowsAsync<PrometheusFormatException>(() => parser.ParseAsync(body, cancellationToken: TestContext.Current.CancellationToken));

        Assert.True(error.LimitExceeded);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/openmetrics-text; version=1.0.0; charset=utf-8", PrometheusTextFormat.OpenMetrics1)]
    [InlineData("text/plain; version=0.0.4; charset=utf-8", PrometheusTextFormat.Prometheus004)]
    [InlineData(null, PrometheusTextFormat.Prometheus004)]
    [InlineData("text/html", PrometheusTextFormat.Prometheus004)]
    public void FormatOf_ContentType_PicksFormat(string? contentType, PrometheusTextFormat expected) =>
        Assert.Equal(expected, PrometheusTextParser.FormatOf(contentType));

    [Fact]
    public async Task ParseAsync_RandomMutations_OnlyEverThrowFormatException()
    {
        const string valid = """
            # HELP http_requests_total The total number of HTTP requests.
            # TYPE http_requests_total counter
            http_requests_total{method="post",code="200"} 1027 1395066363000
            http_requests_total{method="post",code="400"}    3 1395066363000
            # TYPE lat histogram
            lat_bucket{le="0.1",path="/a\\b\"c\n"} 5
            lat_bucket{le="+Inf"} 7
            lat_sum 1.5e3
            lat_count 7
            gauge_nan NaN

            """;
        var bytes = Encoding.UTF8.GetBytes(valid);
        var random = new Random(20240611);
        var parser = new PrometheusTextParser(new PrometheusParserLimits { MaxLineBytes = 256, MaxSeries = 50 });
        byte[] alphabet = [.. "{}\"\\=, \n\t#+-.eE0123456789aZ_:"u8, 0xC3, 0xFF, 0x00];
        var valid0 = 0;
        for (var i = 0; i < 3000; i++)
        {
            var mutated = bytes.ToList();
            for (var m = random.Next(1, 6); m > 0; m--)
            {
                var at = random.Next(mutated.Count);
                switch (random.Next(3))
                {
                    case 0:
                        mutated[at] = alphabet[random.Next(alphabet.Length)];
                        break;
                    case 1:
                        mutated.Insert(at, alphabet[random.Next(alphabet.Length)]);
                        break;
                    default:
                        mutated.RemoveAt(at);
                        break;
                }
            }

            try
            {
                var scrape = await parser.ParseAsync(new MemoryStream([.. mutated]), (i & 1) == 0 ? PrometheusTextFormat.Prometheus004 : PrometheusTextFormat.OpenMetrics1, TestContext.Current.CancellationToken);
                Assert.All(scrape.Samples, s => Assert.Equal(s.Labels.Select(l => l.Key).Distinct().Count(), s.Labels.Count));
                valid0++;
            }
            catch (PrometheusFormatException e)
            {
                Assert.False(string.IsNullOrEmpty(e.Reason));
            }
        }

        // Some mutations keep the text valid (a digit for a digit): the test exercises both paths.
        Assert.InRange(valid0, 1, 2999);
    }
}
