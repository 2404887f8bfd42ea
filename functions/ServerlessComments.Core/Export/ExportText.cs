using System.Text;
using ServerlessComments.Comments;

namespace ServerlessComments.Export;

/// <summary>
/// Text made safe to write in an export: every character XML 1.0 cannot carry (control
/// characters but tab and line breaks, lone surrogates, U+FFFE and U+FFFF) and every other
/// Unicode noncharacter becomes U+FFFD. Text entering today is refused if it holds one
/// (<see cref="CommentValidator"/>), but a row stored before that rule, or written by another
/// tool, may; one such character must not make the whole file unreadable.
/// </summary>
public static class ExportText
{
    public static string Clean(string text)
    {
        StringBuilder? sb = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var length = 1;
            bool ok;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                length = 2;
                ok = !CommentValidator.IsNoncharacter(char.ConvertToUtf32(c, text[i + 1]));
            }
            else
                ok = !char.IsSurrogate(c) && (c >= 0x20 || c is '\t' or '\n' or '\r') && !CommentValidator.IsNoncharacter(c);
            if (!ok && sb is null)
                sb = new StringBuilder(text.Length).Append(text, 0, i);
            if (sb is not null)
            {
                if (ok)
                    sb.Append(text, i, length);
                else
                    sb.Append('\uFFFD');
            }
            i += length - 1;
        }
        return sb?.ToString() ?? text;
    }

    public static string? CleanOrNull(string? text) => text is null ? null : Clean(text);

    /// <summary>The comment with every text cleaned (the same comment when nothing needed it).</summary>
    public static StoredComment Clean(StoredComment c) => c with
    {
        Thread = Clean(c.Thread), Id = Clean(c.Id), ParentId = CleanOrNull(c.ParentId), PageUrl = CleanOrNull(c.PageUrl), PageTitle = CleanOrNull(c.PageTitle),
        Author = Clean(c.Author), Email = Clean(c.Email), Website = CleanOrNull(c.Website), Body = Clean(c.Body), Lang = CleanOrNull(c.Lang),
        Reasons = c.Reasons.Select(Clean).ToList(), Ip = CleanOrNull(c.Ip), UserAgent = CleanOrNull(c.UserAgent), Referrer = CleanOrNull(c.Referrer),
    };
}
