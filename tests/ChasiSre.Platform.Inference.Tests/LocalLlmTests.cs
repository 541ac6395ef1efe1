namespace ChasiSre.Platform.Inference.Tests;

public sealed class LocalLlmTests(TinyModelFixture model)
{
    private const string Prompt = "Incident: pod web-1 in tenant-a was OOMKilled three times. Answer as JSON:";

    private static readonly GbnfGrammar IncidentGrammar = JsonSchemaGbnfCompiler.Compile(TestSchemas.IncidentSummary);

    [Theory]
    [InlineData(1u)]
    [InlineData(2u)]
    [InlineData(3u)]
    [InlineData(4u)]
    [InlineData(5u)]
    [InlineData(1234u)]
    public async Task CompleteAsync_GrammarFromSchema_ReturnsJsonValidAgainstSchema(uint seed)
    {
        var completion = await model.Llm.CompleteAsync(new LlmRequest(Prompt) { Grammar = IncidentGrammar, Seed = seed }, TestContext.Current.CancellationToken);

        Assert.Equal(LlmStopReason.EndOfGeneration, completion.StopReason);
        Assert.Empty(JsonSchemaCheck.Validate(completion.Text, TestSchemas.IncidentSummary));
        Assert.True(completion.PromptTokens > 10);
        Assert.True(completion.CompletionTokens > 0);
    }

    [Theory]
    [InlineData(11u)]
    [InlineData(12u)]
    [InlineData(13u)]
    [InlineData(14u)]
    public async Task CompleteAsync_NestedSchemaWithRefsRangesAndOptionals_ReturnsValidJson(uint seed)
    {
        var grammar = JsonSchemaGbnfCompiler.Compile(TestSchemas.Diagnosis);

        var completion = await model.Llm.CompleteAsync(new LlmRequest(Prompt) { Grammar = grammar, Seed = seed }, TestContext.Current.CancellationToken);

        Assert.Equal(LlmStopReason.EndOfGeneration, completion.StopReason);
        Assert.Empty(JsonSchemaCheck.Validate(completion.Text, TestSchemas.Diagnosis));
    }

    [Fact]
    public async Task CompleteAsync_GreedyDecoding_ReturnsValidJson()
    {
        var completion = await model.Llm.CompleteAsync(new LlmRequest(Prompt) { Grammar = IncidentGrammar, Temperature = 0 }, TestContext.Current.CancellationToken);

        Assert.Empty(JsonSchemaCheck.Validate(completion.Text, TestSchemas.IncidentSummary));
    }

    [Fact]
    public async Task CompleteAsync_SameSeed_SameText()
    {
        var request = new LlmRequest(Prompt) { Grammar = IncidentGrammar, Seed = 99 };

        var first = await model.Llm.CompleteAsync(request, TestContext.Current.CancellationToken);
        var second = await model.Llm.CompleteAsync(request, TestContext.Current.CancellationToken);
        var other = await model.Llm.CompleteAsync(request with { Seed = 100 }, TestContext.Current.CancellationToken);

        Assert.Equal(first.Text, second.Text);
        Assert.NotEqual(first.Text, other.Text);
    }

    [Fact]
    public async Task CompleteAsync_TokenBudgetRunsOut_StopsWithMaxTokens()
    {
        var completion = await model.Llm.CompleteAsync(new LlmRequest(Prompt) { Grammar = IncidentGrammar, MaxTokens = 5 }, TestContext.Current.CancellationToken);

        Assert.Equal(LlmStopReason.MaxTokens, completion.StopReason);
        Assert.Equal(5, completion.CompletionTokens);
        Assert.Equal("{\"sum", completion.Text);
    }

    [Fact]
    public async Task StreamAsync_Pieces_ConcatenateToCompletionText()
    {
        var request = new LlmRequest(Prompt) { Grammar = IncidentGrammar, Seed = 5 };
        var pieces = new List<string>();
        LlmCompletion? summary = null;

        await foreach (var update in model.Llm.StreamAsync(request, TestContext.Current.CancellationToken))
        {
            pieces.Add(update.Text);
            summary = update.Completion ?? summary;
        }

        Assert.NotNull(summary);
        Assert.True(pieces.Count > 2);
        Assert.Equal(summary.Text, string.Concat(pieces));
    }

    [Fact]
    public async Task StreamAsync_CancelledMidway_ThrowsOperationCanceled()
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        int received = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in model.Llm.StreamAsync(new LlmRequest(Prompt) { Grammar = IncidentGrammar }, cancellation.Token))
            {
                if (++received == 3)
                {
                    await cancellation.CancelAsync();
                }
            }
        });
        Assert.Equal(3, received);
    }

    [Fact]
    public async Task CompleteAsync_AlreadyCancelled_Throws()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => model.Llm.CompleteAsync(new LlmRequest(Prompt), cancellation.Token));
    }

    [Fact]
    public async Task CompleteAsync_ConcurrentRequests_EachValid()
    {
        using var llm = LocalLlm.Load(new LocalLlmOptions { ModelPath = model.ModelPath, ContextSize = 1024, Threads = 1, Temperature = 0.8f, MaxConcurrentRequests = 2 });
        var requests = Enumerable.Range(1, 4).Select(seed =>
            llm.CompleteAsync(new LlmRequest(Prompt) { Grammar = IncidentGrammar, Seed = (uint)seed }, TestContext.Current.CancellationToken));

        var completions = await Task.WhenAll(requests);

        Assert.All(completions, c => Assert.Empty(JsonSchemaCheck.Validate(c.Text, TestSchemas.IncidentSummary)));
    }

    [Fact]
    public async Task CompleteAsync_GrammarLlamaCppRejects_ThrowsArgumentException()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() =>
            model.Llm.CompleteAsync(new LlmRequest(Prompt) { Grammar = new GbnfGrammar("root ::= undefined-rule") }, TestContext.Current.CancellationToken));

        Assert.Contains("rejected the GBNF grammar", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteAsync_HandWrittenGrammar_IsFollowed()
    {
        var grammar = new GbnfGrammar("root ::= \"pod-\" [a-z]{3} \"-\" [0-9]{2}");

        var completion = await model.Llm.CompleteAsync(new LlmRequest(Prompt) { Grammar = grammar, Seed = 8 }, TestContext.Current.CancellationToken);

        Assert.Matches("^pod-[a-z]{3}-[0-9]{2}$", completion.Text);
        Assert.Equal(LlmStopReason.EndOfGeneration, completion.StopReason);
    }

    [Fact]
    public async Task CompleteAsync_PromptLongerThanContext_Throws()
    {
        using var llm = LocalLlm.Load(new LocalLlmOptions { ModelPath = model.ModelPath, ContextSize = 64, Threads = 1 });

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            llm.CompleteAsync(new LlmRequest(new string('x', 5000)), TestContext.Current.CancellationToken));

        Assert.Contains("ContextSize", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFound()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => LocalLlm.Load(new LocalLlmOptions { ModelPath = "/nonexistent/model.gguf" }));

        Assert.Contains("Inference:Llm:ModelPath", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidOptions_ThrowsNamingTheOption()
    {
        var ex = Assert.Throws<ArgumentException>(() => LocalLlm.Load(new LocalLlmOptions { ModelPath = model.ModelPath, MaxTokens = 0 }));

        Assert.Contains(nameof(LocalLlmOptions.MaxTokens), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_LoadsTheModel()
    {
        using var llm = await LocalLlm.LoadAsync(model.Options(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("tiny-llama", llm.ModelId);
        Assert.Equal(model.Llm.VocabularySize, llm.VocabularySize);
    }
}
