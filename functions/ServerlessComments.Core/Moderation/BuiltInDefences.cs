using System.Text.RegularExpressions;
using ServerlessComments.Comments;

namespace ServerlessComments.Moderation;

/// <summary>
/// The checks that need no third party, as pure functions of a comment and the settings, so
/// that they can be measured on a corpus (see the spam-baseline command) exactly as they run.
/// </summary>
public static partial class BuiltInDefences
{
    /// <summary>Honeypot filled → spam; a block word → spam; too many links or a hold word → hold;
    /// otherwise publish. Reasons name what matched.</summary>
    public static Verdict Judge(CommentSubmission comment, SpamOptions options)
    {
        if (!string.IsNullOrEmpty(comment.Honeypot))
            return Verdict.Spam("honeypot field filled in");

        if (FirstMatch(comment, SpamOptions.Words(options.BlockWords)) is { } blocked)
            return Verdict.Spam($"block word \"{blocked.Word}\" in {blocked.Field}");

        var reasons = new List<string>();
        var links = CountLinks(comment.Body);
        if (links > options.MaxLinks)
            reasons.Add($"{links} links (more than {options.MaxLinks})");
        if (FirstMatch(comment, SpamOptions.Words(options.HoldWords)) is { } held)
            reasons.Add($"hold word \"{held.Word}\" in {held.Field}");
        return reasons.Count > 0 ? new Verdict(Decision.Hold, reasons) : Verdict.Publish();
    }

    /// <summary>Links in plain text: each http(s):// address or bare www. host counts once.</summary>
    public static int CountLinks(string text) => Links().Count(text);

    [GeneratedRegex(@"\b(?:https?://|www\.)\S", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Links();

    private static (string Word, string Field)? FirstMatch(CommentSubmission comment, IReadOnlyList<string> words)
    {
        if (words.Count == 0)
            return null;
        (string Field, string? Value)[] fields =
            [("author", comment.Author), ("email", comment.Email), ("website", comment.Website), ("text", comment.Body), ("IP", comment.Ip)];
        foreach (var word in words)
        {
            foreach (var (field, value) in fields)
            {
                // As WordPress does: a case-insensitive substring match.
                if (value is not null && value.Contains(word, StringComparison.OrdinalIgnoreCase))
                    return (word, field);
            }
        }
        return null;
    }
}
