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
    public static Verdict Judge(CommentSubmission comment, SpamOptions options, OwnerLists? owner = null)
    {
        owner ??= OwnerLists.Empty;
        if (!string.IsNullOrEmpty(comment.Honeypot))
            return Verdict.Spam("honeypot field filled in");

        if (FirstMatch(comment, [.. SpamOptions.Words(options.BlockWords), .. owner.BlockWords]) is { } blocked)
            return Verdict.Spam($"block word \"{blocked.Word}\" in {blocked.Field}");
        if (ListedBy(comment, owner.BlockEmails, owner.BlockDomains, owner.BlockIps) is { } listed)
            return Verdict.Spam("blocked " + listed);

        var reasons = new List<string>();
        var links = CountLinks(comment.Body);
        if (links > options.MaxLinks)
            reasons.Add($"{links} links (more than {options.MaxLinks})");
        if (FirstMatch(comment, [.. SpamOptions.Words(options.HoldWords), .. owner.HoldWords]) is { } held)
            reasons.Add($"hold word \"{held.Word}\" in {held.Field}");
        if (ListedBy(comment, owner.HoldEmails, owner.HoldDomains, owner.HoldIps) is { } holding)
            reasons.Add("held " + holding);
        if (comment.Unproven is { } unproven)
            reasons.Add(unproven);
        return reasons.Count > 0 ? new Verdict(Decision.Hold, reasons) : Verdict.Publish();
    }

    /// <summary>What in the owner's lists names this comment's address, its domain (the address's
    /// or the website's) or its IP; null when nothing does. The reason names the list, never the
    /// address or the IP itself: reasons are kept with the comment and logged, and an erasure must
    /// not leave a copy there (a network entry is the owner's own text, so it is named).</summary>
    private static string? ListedBy(CommentSubmission comment, IReadOnlyList<string> emails, IReadOnlyList<string> domains, IReadOnlyList<string> ips)
    {
        if (emails.Contains(comment.Email, StringComparer.OrdinalIgnoreCase))
            return "address (on the list)";
        var emailDomain = comment.Email[(comment.Email.LastIndexOf('@') + 1)..];
        if (OwnerLists.MatchDomain(domains, emailDomain) is { } byEmail)
            return $"domain \"{byEmail}\" in email";
        if (Uri.TryCreate(comment.Website, UriKind.Absolute, out var site) && OwnerLists.MatchDomain(domains, site.Host) is { } bySite)
            return $"domain \"{bySite}\" in website";
        if (OwnerLists.MatchIp(ips, comment.Ip) is { } byIp)
            return byIp.Contains('/') ? $"IP in network {byIp}" : "IP (on the list)";
        return null;
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
