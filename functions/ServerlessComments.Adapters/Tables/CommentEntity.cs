using Azure;
using Azure.Data.Tables;
using ServerlessComments.Comments;

namespace ServerlessComments.Adapters.Tables;

/// <summary>A comment as a table row: partition = thread key, row = comment id. The owner's list
/// keeps a copy under <c>~status-…</c> partitions, with the same columns.</summary>
public sealed class CommentEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Id { get; set; } = "";
    public string Thread { get; set; } = "";
    public string? ParentId { get; set; }
    public string? PageUrl { get; set; }
    public string? PageTitle { get; set; }
    public string Author { get; set; } = "";
    public string Email { get; set; } = "";
    public string? Website { get; set; }
    public string Body { get; set; } = "";
    public bool NotifyOnReply { get; set; }
    public string? Lang { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string Status { get; set; } = "";
    /// <summary>The verdict's reasons and the owner's decisions, one a line; for the owner only.</summary>
    public string? Reasons { get; set; }
    public bool ByOwner { get; set; }
    public DateTimeOffset? EditedAt { get; set; }
    public bool Deleted { get; set; }
    // The author's earlier texts (ReaderEdits.MaxEdits at most), one column each as "<time>\n<text>":
    // a column holds at most 64 KiB, one text up to 40 KB.
    public string? Revision1 { get; set; }
    public string? Revision2 { get; set; }
    public string? Revision3 { get; set; }
    public string? Revision4 { get; set; }
    public string? Revision5 { get; set; }

    // For spam handling only; erased after Privacy__RetentionDays, never in a public answer.
    public string? Ip { get; set; }
    public string? UserAgent { get; set; }
    public string? Referrer { get; set; }
    public string? Honeypot { get; set; }
    public bool ClientDataErased { get; set; }

    /// <summary>The comment's id: its row key in its thread (version 1 rows have no Id column).</summary>
    public string CommentId => string.IsNullOrEmpty(Id) ? RowKey : Id;

    public static CommentEntity From(StoredComment c) => new()
    {
        PartitionKey = c.ThreadKey,
        RowKey = c.Id,
        Id = c.Id,
        Thread = c.Thread,
        ParentId = c.ParentId,
        PageUrl = c.PageUrl,
        PageTitle = c.PageTitle,
        Author = c.Author,
        Email = c.Email,
        Website = c.Website,
        Body = c.Body,
        NotifyOnReply = c.NotifyOnReply,
        Lang = c.Lang,
        CreatedAt = c.CreatedAt,
        Status = c.Status.Word(),
        Reasons = string.Join('\n', c.Reasons),
        ByOwner = c.ByOwner,
        EditedAt = c.EditedAt,
        Deleted = c.Deleted,
        Revision1 = Revision(c.History, 0),
        Revision2 = Revision(c.History, 1),
        Revision3 = Revision(c.History, 2),
        Revision4 = Revision(c.History, 3),
        Revision5 = Revision(c.History, 4),
        Ip = c.Ip,
        UserAgent = c.UserAgent,
        Referrer = c.Referrer,
        Honeypot = c.Honeypot,
        // Nothing left to erase (erased already, or never captured): the privacy job skips it.
        ClientDataErased = c.Ip is null && c.UserAgent is null && c.Referrer is null,
        ETag = c.Version is null ? default : new ETag(c.Version),
    };

    public StoredComment ToStored() => new()
    {
        Id = CommentId,
        Thread = Thread,
        ParentId = ParentId,
        PageUrl = PageUrl,
        PageTitle = PageTitle,
        Author = Author,
        Email = Email,
        Website = Website,
        Body = Body,
        NotifyOnReply = NotifyOnReply,
        Lang = Lang,
        CreatedAt = CreatedAt,
        Status = CommentStatuses.Parse(Status) ?? throw new InvalidOperationException($"Comment {RowKey} has the unknown status '{Status}'."),
        Reasons = (Reasons ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries),
        ByOwner = ByOwner,
        EditedAt = EditedAt,
        Deleted = Deleted,
        History = new[] { Revision1, Revision2, Revision3, Revision4, Revision5 }.Where(r => !string.IsNullOrEmpty(r)).Select(ParseRevision).ToArray() is { Length: > 0 } history
            ? history : [],
        Ip = NullIfEmpty(Ip),
        UserAgent = NullIfEmpty(UserAgent),
        Referrer = NullIfEmpty(Referrer),
        Honeypot = NullIfEmpty(Honeypot),
        Version = ETag == default ? null : ETag.ToString(),
    };

    private static string? Revision(IReadOnlyList<CommentRevision> history, int index) =>
        index < history.Count ? history[index].At.ToString("O", System.Globalization.CultureInfo.InvariantCulture) + "\n" + history[index].Body : null;

    private static CommentRevision ParseRevision(string? text)
    {
        var cut = text!.IndexOf('\n');
        return new CommentRevision(DateTimeOffset.Parse(text[..cut], System.Globalization.CultureInfo.InvariantCulture), text[(cut + 1)..]);
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
