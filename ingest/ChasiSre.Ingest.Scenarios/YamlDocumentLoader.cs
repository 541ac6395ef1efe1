using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace ChasiSre.Ingest.Scenarios;

/// <summary>Loads exactly one YAML document from a file, with size and nesting limits checked before the
/// representation model is built (deep nesting would otherwise overflow the stack).</summary>
internal static partial class YamlDocumentLoader
{
    public const long MaxFileBytes = 8 * 1024 * 1024;

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarkPrefix();

    /// <summary>The root node of the single document of <see cref="YamlReadContext.File"/>, or null after recording why not.</summary>
    public static YamlNode? Load(YamlReadContext context)
    {
        var path = context.File;
        var length = new FileInfo(path).Length;
        if (length > MaxFileBytes)
        {
            context.Error(new Mark(0, 1, 1), $"file is {length} bytes; scenario files are limited to {MaxFileBytes} bytes (8 MiB)");
            return null;
        }

        var text = File.ReadAllText(path);
        return Parse(context, text);
    }

    /// <summary>Parses <paramref name="text"/> as the content of <see cref="YamlReadContext.File"/>.</summary>
    public static YamlNode? Parse(YamlReadContext context, string text)
    {
        try
        {
            var documents = 0;
            var depth = 0;
            var parser = new Parser(new StringReader(text));
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case DocumentStart start:
                        if (++documents > 1)
                        {
                            context.Error(start.Start, "the file holds more than one YAML document ('---'); put everything in one document");
                            return null;
                        }

                        break;
                    case MappingStart or SequenceStart:
                        if (++depth > YamlReadContext.MaxDepth)
                        {
                            context.Error(parser.Current.Start, $"nesting deeper than {YamlReadContext.MaxDepth} levels");
                            return null;
                        }

                        break;
                    case MappingEnd or SequenceEnd:
                        depth--;
                        break;
                }
            }

            if (documents == 0)
            {
                context.Error(new Mark(0, 1, 1), "the file is empty");
                return null;
            }

            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents[0].RootNode;
        }
        catch (YamlException exception)
        {
            context.Error(exception.Start, "invalid YAML: " + MarkPrefix().Replace(exception.Message, ""));
            return null;
        }
    }
}
