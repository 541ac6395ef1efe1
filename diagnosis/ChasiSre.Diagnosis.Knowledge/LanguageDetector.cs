namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>
/// Tells Chinese from English text by script: Han characters against Latin words. Runbooks in
/// Chinese keep commands and error messages in English, so the rule counts a Han character as
/// half a Latin word's weight the other way round: the text is Chinese when Han characters are at
/// least half as many as Latin words.
/// </summary>
public static class LanguageDetector
{
    /// <summary>Chinese.</summary>
    public const string Chinese = "zh";

    /// <summary>English (and any other Latin-script text).</summary>
    public const string English = "en";

    /// <summary>Returns <see cref="Chinese"/> or <see cref="English"/>.</summary>
    public static string Detect(ReadOnlySpan<char> text)
    {
        int han = 0;
        int latinWords = 0;
        bool inWord = false;
        foreach (var c in text)
        {
            if (IsHan(c))
            {
                han++;
                inWord = false;
            }
            else if (char.IsAsciiLetter(c))
            {
                if (!inWord)
                {
                    latinWords++;
                    inWord = true;
                }
            }
            else
            {
                inWord = false;
            }
        }

        return han > 0 && han * 2 >= latinWords ? Chinese : English;
    }

    /// <summary>Whether <paramref name="text"/> contains any Han character.</summary>
    public static bool ContainsHan(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (IsHan(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsHan(char c) => c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\uF900' and <= '\uFAFF');
}
