using System.Globalization;
using System.Text;

namespace ServerlessComments.Comments;

/// <summary>
/// Authors' names: cleaned where they enter (post, edit, import) and compared as people read them.
/// A name is shown beside a date and a badge, so characters that reorder or hide text have no place
/// in it: <c>Alice\u202E</c> would reverse the date beside it, <c>Manon\u200B</c> looks like Manon.
/// </summary>
public static class AuthorNames
{
    /// <summary>Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), the
    /// direction marks (U+200E, U+200F, U+061C), and the zero-width characters (U+200B–U+200D,
    /// U+2060, U+FEFF). Joiners go too: a name loses an emoji's ligature, never its letters.</summary>
    public static bool IsInvisible(char c) => c is
        >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C' or
        >= '\u200B' and <= '\u200D' or '\u2060' or '\uFEFF';

    /// <summary>A name as stored: on one line, trimmed, without the characters above; null when nothing is left.</summary>
    public static string? Clean(string? name)
    {
        if (name is null)
            return null;
        var visible = name.Any(IsInvisible) ? string.Concat(name.Where(c => !IsInvisible(c))) : name;
        return CommentValidator.OneLine(visible);
    }

    /// <summary>
    /// What two names that look alike have in common: NFKC (full-width letters, ligatures), no
    /// diacritics, no case, no spaces or punctuation, and the Cyrillic and Greek letters that look
    /// Latin read as Latin. "MANON", "Mänon", "Ｍａｎｏｎ", "Ma non" and "Mаnon" (Cyrillic а) are all "manon".
    /// </summary>
    public static string Comparable(string name)
    {
        var decomposed = (Clean(name) ?? "").Normalize(NormalizationForm.FormKC).Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark ||
                char.IsWhiteSpace(c) || char.IsPunctuation(c) || char.IsSeparator(c))
                continue;
            var lower = char.ToLowerInvariant(c);
            sb.Append(LookAlikes.TryGetValue(lower, out var latin) ? latin : lower);
        }
        return sb.ToString();
    }

    // The lower-case Cyrillic and Greek letters most often used to pass for Latin ones (after
    // NFKC and case folding); not Unicode's whole confusables table, which is far larger.
    private static readonly Dictionary<char, char> LookAlikes = new()
    {
        ['а'] = 'a', ['е'] = 'e', ['о'] = 'o', ['р'] = 'p', ['с'] = 'c', ['у'] = 'y', ['х'] = 'x', ['і'] = 'i', ['ј'] = 'j',
        ['ѕ'] = 's', ['һ'] = 'h', ['ԁ'] = 'd', ['ԛ'] = 'q', ['ԝ'] = 'w', ['ӏ'] = 'l', ['к'] = 'k', ['м'] = 'm', ['н'] = 'h',
        ['т'] = 't', ['в'] = 'b', ['ո'] = 'n', ['ս'] = 'u',
        ['α'] = 'a', ['ε'] = 'e', ['ο'] = 'o', ['ρ'] = 'p', ['ν'] = 'v', ['ι'] = 'i', ['κ'] = 'k', ['τ'] = 't', ['υ'] = 'u',
        ['χ'] = 'x', ['η'] = 'n', ['ı'] = 'i', ['ℓ'] = 'l',
    };
}
