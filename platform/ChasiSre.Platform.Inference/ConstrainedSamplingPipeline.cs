using LLama.Native;
using LLama.Sampling;

namespace ChasiSre.Platform.Inference;

/// <summary>
/// The sampler chain of one request: grammar (when given), the UTF-8 guard, then greedy
/// (temperature 0) or top-k / top-p / min-p / temperature / seeded random choice.
/// </summary>
internal sealed class ConstrainedSamplingPipeline(GbnfGrammar? grammar, TokenByteTable tokens, float temperature, uint seed) : BaseSamplingPipeline
{
    protected override SafeLLamaSamplerChainHandle CreateChain(SafeLLamaContextHandle context)
    {
        var chain = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        try
        {
            if (grammar is not null)
            {
                chain.AddGrammar(context.ModelHandle, grammar.Text, grammar.Root);
            }

            chain.AddCustom(new Utf8GuardSampler(tokens));
            if (temperature <= 0f)
            {
                chain.AddGreedySampler();
            }
            else
            {
                chain.AddTopK(40);
                chain.AddTopP(0.95f, 1);
                chain.AddMinP(0.05f, 1);
                chain.AddTemperature(temperature);
                chain.AddDistributionSampler(seed);
            }

            return chain;
        }
        catch
        {
            chain.Dispose();
            throw;
        }
    }
}
