using System.Text;

namespace ChasiSre.Diagnosis.Knowledge;

/// <summary>GitHub-style heading anchors: lower case, punctuation dropped, spaces to '-'; Han characters kept.</summary>
public static class HeadingAnchor
{
    /// <summary>The anchor of <paramref name="heading"/> (empty when the heading has no letters or digits).</summary>
    public static string Slug(string heading)
    {
        ArgumentNullException.ThrowIfNull(heading);
        var builder = new StringBuilder(heading.Length);
        foreach (var c in heading.Trim())
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (c is ' ' or '-')
            {
                builder.Append('-');
            }
            else if (c == '_')
            {
                builder.Append('_');
            }
        }

        return builder.ToString();
    }
}
