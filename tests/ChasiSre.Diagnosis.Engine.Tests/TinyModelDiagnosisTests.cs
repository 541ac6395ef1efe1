using ChasiSre.Diagnosis.Evidence;
using ChasiSre.Diagnosis.Llm;
using ChasiSre.Schemas;
using ChasiSre.TestKit;
using Microsoft.Extensions.Options;

namespace ChasiSre.Diagnosis.Engine.Tests;

/// <summary>
/// The diagnosis through real llama.cpp inference (LLamaSharp) on the tiny random-weight GGUF: its text is noise, but
/// the GBNF grammar compiled from the pack's answer schema makes it a diagnosis the contract accepts — ids from the pack,
/// a catalog action on a pack object, a layer, a confidence.
/// </summary>
public sealed class TinyModelDiagnosisTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("chasisre-diagnosis-").FullName;

    [Fact]
    public async Task DiagnoseAsync_TinyGgufThroughLlamaSharp_YieldsASchemaValidDiagnosis()
    {
        var ct = TestContext.Current.CancellationToken;
        var model = Path.Combine(directory, "tiny.gguf");
        new TinyGgufWriter { ContextLength = 8192 }.WriteToFile(model);
        using var llm = new LlmPipelineFactory(
            Options.Create(new LlmOptions
            {
                Provider = LlmProvider.LlamaSharp,
                ModelPath = model,
                Model = "tiny-llama",
                ContextSize = 8192,
                Threads = 2,
                RequestTimeout = TimeSpan.FromMinutes(3),
                CacheDuration = TimeSpan.Zero,
                RequestsPerMinute = 0,
            }),
            loggerFactory: null);
        var (incident, evidence) = Replay.Single("crashloop-missing-env", "CrashLoop");
        // The tiny model's vocabulary is bytes: a 500-token (cl100k) pack is about 2,000 of its tokens.
        var engine = new DiagnosisEngine(llm.ChatClient, new EvidencePackBuilder(new EvidencePackOptions { MaxTokens = 500 }), new DiagnosisOptions { MaxAnswerTokens = 3000 });

        var outcome = await engine.DiagnoseAsync(incident, evidence, ct);

        Assert.True(outcome.Source is DiagnosisSource.Llm or DiagnosisSource.LlmRepaired, $"{outcome.Source}: {string.Join("; ", outcome.Errors)}");
        var d = outcome.Diagnosis;
        Assert.StartsWith("llama.cpp:", d.Engine, StringComparison.Ordinal);
        Assert.InRange(d.Confidence, 0, 1);
        Assert.NotEqual(ChasiSre.Schemas.V1.Layer.Unspecified, d.Layer);
        Assert.NotEmpty(d.Evidence);
        Assert.All(d.Evidence, e => Assert.NotNull(outcome.Pack.Find(e.Summary[..(e.Summary.IndexOf(']', StringComparison.Ordinal) + 1)])));
        Assert.All(d.Remediations.Where(r => r.Action.Length > 0), r => Assert.NotNull(RemediationCatalog.Find(r.Action)));
        Assert.True(d.RootCause.Trim().Length >= 10);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: llama.cpp may keep the model mapped until the process ends.
        }
    }
}
