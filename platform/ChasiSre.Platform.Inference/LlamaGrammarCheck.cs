using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using LLama.Native;

namespace ChasiSre.Platform.Inference;

/// <summary>
/// Parses a GBNF grammar with llama.cpp itself before it reaches the sampler chain: LLamaSharp
/// adds the grammar sampler without checking for llama.cpp's null "does not parse" result, which
/// would crash the process. Valid grammars are remembered.
/// </summary>
internal static class LlamaGrammarCheck
{
    private const int MaxRemembered = 256;

    private static readonly ConcurrentDictionary<(string Text, string Root), bool> Known = new();
    private static readonly Lazy<Exports> Functions = new(Resolve, LazyThreadSafetyMode.ExecutionAndPublication);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr GetVocab(IntPtr model);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr InitGrammar(IntPtr vocab, IntPtr grammar, IntPtr root);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void FreeSampler(IntPtr sampler);

    /// <exception cref="ArgumentException">llama.cpp does not accept the grammar.</exception>
    public static void EnsureValid(SafeLlamaModelHandle model, GbnfGrammar grammar)
    {
        var key = (grammar.Text, grammar.Root);
        if (Known.ContainsKey(key))
        {
            return;
        }

        if (!Parses(model, grammar))
        {
            throw new ArgumentException(
                $"llama.cpp rejected the GBNF grammar (root rule '{grammar.Root}'): check its syntax, that every referenced rule is defined and that the root rule exists. llama.cpp printed the parse error to stderr.",
                nameof(grammar));
        }

        if (Known.Count >= MaxRemembered)
        {
            Known.Clear();
        }

        Known.TryAdd(key, true);
    }

    private static bool Parses(SafeLlamaModelHandle model, GbnfGrammar grammar)
    {
        var exports = Functions.Value;
        bool added = false;
        IntPtr text = IntPtr.Zero;
        IntPtr root = IntPtr.Zero;
        try
        {
            model.DangerousAddRef(ref added);
            IntPtr vocab = exports.GetVocab(model.DangerousGetHandle());
            text = Marshal.StringToCoTaskMemUTF8(grammar.Text);
            root = Marshal.StringToCoTaskMemUTF8(grammar.Root);
            IntPtr sampler = exports.InitGrammar(vocab, text, root);
            if (sampler == IntPtr.Zero)
            {
                return false;
            }

            exports.FreeSampler(sampler);
            return true;
        }
        finally
        {
            Marshal.FreeCoTaskMem(text);
            Marshal.FreeCoTaskMem(root);
            if (added)
            {
                model.DangerousRelease();
            }
        }
    }

    private static Exports Resolve()
    {
        // Goes through LLamaSharp's own resolver, so this is the library LLamaSharp loaded.
        IntPtr library = NativeLibrary.Load("llama", typeof(NativeApi).Assembly, searchPath: null);
        return new Exports(
            Marshal.GetDelegateForFunctionPointer<GetVocab>(NativeLibrary.GetExport(library, "llama_model_get_vocab")),
            Marshal.GetDelegateForFunctionPointer<InitGrammar>(NativeLibrary.GetExport(library, "llama_sampler_init_grammar")),
            Marshal.GetDelegateForFunctionPointer<FreeSampler>(NativeLibrary.GetExport(library, "llama_sampler_free")));
    }

    private sealed record Exports(GetVocab GetVocab, InitGrammar InitGrammar, FreeSampler FreeSampler);
}
