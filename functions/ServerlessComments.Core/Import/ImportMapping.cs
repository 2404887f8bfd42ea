using System.Net;
using System.Text;
using ServerlessComments.Comments;
using ServerlessComments.Texts;

namespace ServerlessComments.Import;

/// <summary>A comment ready to store, with the source's keys that link it to its parent.</summary>
public sealed record MappedComment(StoredComment Comment, string SourceKey, string? SourceParentKey, bool Truncated);

/// <summary>
/// The rules an imported comment is held to, as a posted one is: its page becomes a thread (by
/// path, URL or identifier, after the owner's rewrites); statuses become published, pending or
/// spam, and trash and deleted comments are skipped; HTML becomes text; every field is cleaned
/// and capped as <see cref="CommentValidator"/> does where comments enter. A text over the
/// limit is cut at it (and counted), not dropped: old conversations stay whole.
/// </summary>
public static class ImportMapping
{
    public const int MaxIpLength = 45;
    public const int MaxUserAgentLength = 512;

    /// <summary>The comment to store, or why it is skipped (<see cref="SkipReason"/>).</summary>
    public static (MappedComment? Comment, string? Skipped) Map(SourceComment source, ImportOptions options)
    {
        if (source.Status == SourceStatus.Trash)
            return (null, SkipReason.Trash);
        if (source.Status == SourceStatus.Deleted)
            return (null, SkipReason.Deleted);
        if (source.Id.Length == 0)
            return (null, SkipReason.NoId);
        if (source.CreatedAt == default)
            return (null, SkipReason.NoDate);
        if (source.Kind == SourceKind.Private)
            return (null, SkipReason.Type(source.Type));
        if (source.Kind != SourceKind.Comment && !options.ImportPingbacks)
            return (null, source.Kind == SourceKind.Pingback ? SkipReason.Pingback : SkipReason.Trackback);

        var pageUrl = Rewrite(source.Link?.Trim(), options.Rewrites);
        pageUrl = pageUrl is not null && CommentValidator.TryWebUrl(pageUrl, out var url) ? url : null;
        var thread = source.Thread ?? ThreadOf(pageUrl, source.Identifier, options);
        if (thread is null)
            return (null, SkipReason.NoPage);
        if (source.Thread is null)
            thread = Rewrite(thread, options.Rewrites)!;
        if (CommentValidator.ThreadProblem(thread) is not null)
            return (null, SkipReason.BadThread);

        var text = CommentValidator.Body(source.BodyIsHtml ? HtmlText.ToText(source.Body) : source.Body);
        if (text is null)
            return (null, SkipReason.Empty);
        if (!CommentValidator.IsWellFormedText(text))
            return (null, SkipReason.BrokenText);
        var truncated = CommentValidator.LengthOf(text) > CommentValidator.MaxBodyLength;
        text = CutToLimit(text);

        var author = Cap(Clean(AuthorNames.Clean(source.BodyIsHtml ? WebUtility.HtmlDecode(source.Author) : source.Author)), CommentValidator.MaxAuthorLength)
                     ?? Strings.For(options.Lang).Get("data", "anonymous");
        var email = source.Email?.Trim() is { Length: > 0 and <= CommentValidator.MaxEmailLength } e && CommentValidator.IsEmailAddress(e) ? e : "";
        var website = source.Website?.Trim() is { Length: > 0 } w && CommentValidator.TryWebUrl(w, out var site) ? site : null;
        var ip = source.Ip?.Trim() is { Length: > 0 and <= MaxIpLength } i && IPAddress.TryParse(i, out var address) ? address.ToString() : null;
        var origin = source.Source + ":" + source.Id;
        var id = source.Source == ImportFormat.Json ? source.Id : CommentId.Derived(source.CreatedAt, origin);
        if (!CommentId.IsWellFormed(id))
            return (null, SkipReason.BadThread);

        var reasons = source.Reasons?.ToList() ?? [source.Kind == SourceKind.Comment ? $"imported from {source.Source} #{Cap(source.Id, 100)}" : $"imported {source.Kind.ToString().ToLowerInvariant()} from {source.Source} #{Cap(source.Id, 100)}"];
        var comment = new StoredComment
        {
            Id = id,
            Thread = thread,
            PageUrl = pageUrl,
            PageTitle = Cap(Clean(CommentValidator.OneLine(source.BodyIsHtml || source.Source != ImportFormat.Json ? WebUtility.HtmlDecode(source.Title) : source.Title)), CommentValidator.MaxPageTitleLength),
            Author = author,
            Email = email,
            Website = website,
            Body = text,
            NotifyOnReply = source.NotifyOnReply && email.Length > 0,
            Lang = source.Lang,
            CreatedAt = source.CreatedAt.ToUniversalTime(),
            Status = source.Status switch { SourceStatus.Published => CommentStatus.Published, SourceStatus.Spam => CommentStatus.Spam, _ => CommentStatus.Pending },
            Reasons = reasons,
            ByOwner = source.ByOwner,
            EditedAt = source.EditedAt,
            History = History(source.History),
            Ip = ip,
            UserAgent = Cap(Clean(CommentValidator.OneLine(source.UserAgent)), MaxUserAgentLength),
            Referrer = source.Referrer is { } r && CommentValidator.TryWebUrl(r, out var referrer) ? referrer : null,
        };
        var parentKey = source.ParentId is { Length: > 0 } p ? (source.Source == ImportFormat.Json ? p : source.Source + ":" + p) : null;
        return (new MappedComment(comment, source.Source == ImportFormat.Json ? id : origin, parentKey, truncated), null);
    }

    /// <summary>The thread of a page: its path (as <c>location.pathname</c> gives it: escaped, query and fragment dropped), URL or identifier.</summary>
    public static string? ThreadOf(string? pageUrl, string? identifier, ImportOptions options)
    {
        if (options.Map == ThreadMapping.Identifier && !string.IsNullOrWhiteSpace(identifier))
            return identifier.Trim();
        if (pageUrl is null || !Uri.TryCreate(pageUrl, UriKind.Absolute, out var uri))
            return null;
        return options.Map == ThreadMapping.Url ? uri.AbsoluteUri : uri.AbsolutePath;
    }

    private static string? Rewrite(string? text, IReadOnlyList<(string Old, string New)> rewrites)
    {
        if (text is null)
            return null;
        foreach (var (old, replacement) in rewrites)
        {
            if (text.StartsWith(old, StringComparison.OrdinalIgnoreCase))
                return replacement + text[old.Length..];
        }
        return text;
    }

    /// <summary>Earlier texts held to a text's rules (cleaned, cut at the limit), the newest
    /// <see cref="Editing.ReaderEdits.MaxEdits"/> of them, as many as an edited comment keeps.</summary>
    private static IReadOnlyList<CommentRevision> History(IReadOnlyList<CommentRevision>? history) =>
        (history ?? [])
            .Where(r => r is not null && r.At != default)
            .Select(r => (r.At, Text: CommentValidator.Body(r.Body)))
            .Where(r => r.Text is not null && CommentValidator.IsWellFormedText(r.Text))
            .Select(r => new CommentRevision(r.At.ToUniversalTime(), CutToLimit(r.Text!)))
            .OrderBy(r => r.At)
            .TakeLast(Editing.ReaderEdits.MaxEdits)
            .ToList();

    /// <summary>A text over the limit is cut at it, with "…" as its last character: old conversations stay whole.</summary>
    private static string CutToLimit(string text) =>
        CommentValidator.LengthOf(text) > CommentValidator.MaxBodyLength ? Cap(text, CommentValidator.MaxBodyLength - 1) + "…" : text;

    private static string? Clean(string? text) => text is not null && CommentValidator.IsWellFormedText(text) ? text : null;

    /// <summary>At most <paramref name="max"/> Unicode characters, never cutting one in two.</summary>
    private static string? Cap(string? text, int max)
    {
        if (text is null || CommentValidator.LengthOf(text) <= max)
            return text;
        var sb = new StringBuilder();
        var n = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (n++ == max)
                break;
            sb.Append(rune.ToString());
        }
        return sb.ToString().TrimEnd();
    }
}
