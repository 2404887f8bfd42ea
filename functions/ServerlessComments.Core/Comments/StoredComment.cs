namespace ServerlessComments.Comments;

/// <summary>
/// A comment as the store keeps it: what the reader sent, the verdict, and what the spam check
/// needs. A plain record: how it is laid out in storage is the adapter's business.
/// </summary>
public sealed record StoredComment
{
    public required string Id { get; init; }
    public required string Thread { get; init; }
    public string? ParentId { get; init; }
    public string? PageUrl { get; init; }
    public string? PageTitle { get; init; }
    public required string Author { get; init; }
    public required string Email { get; init; }
    public string? Website { get; init; }
    public required string Body { get; init; }
    public bool NotifyOnReply { get; init; }
    public string? Lang { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required CommentStatus Status { get; init; }
    /// <summary>The verdict's reasons and the owner's decisions, oldest first; for the owner only.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];
    /// <summary>Written by the blog's owner (their reply): the public thread shows a badge.</summary>
    public bool ByOwner { get; init; }
    /// <summary>When the owner last changed its text; the public thread says it was edited.</summary>
    public DateTimeOffset? EditedAt { get; init; }

    // For spam handling only (the spam service's check and its corrections); erased after
    // Privacy__RetentionDays, never in a public answer.
    public string? Ip { get; init; }
    public string? UserAgent { get; init; }
    public string? Referrer { get; init; }
    public string? Honeypot { get; init; }

    /// <summary>The reader's earlier texts, oldest first, each with when it was written (their
    /// edits within the edit window); for the owner only.</summary>
    public IReadOnlyList<CommentRevision> History { get; init; } = [];
    /// <summary>Deleted by its author while it had replies: kept only as a placeholder ("comment
    /// deleted") so the replies keep their place; no author, address, website or text is left.</summary>
    public bool Deleted { get; init; }

    /// <summary>The store's concurrency token for this version of the row (an ETag); opaque.</summary>
    public string? Version { get; init; }

    public string ThreadKey => Comments.ThreadKey.For(Thread);
    public bool IsPublished => Status == CommentStatus.Published;

    public static StoredComment From(CommentSubmission comment, CommentStatus status, IReadOnlyList<string> reasons) => new()
    {
        Id = comment.Id,
        Thread = comment.Thread,
        ParentId = comment.ParentId,
        PageUrl = comment.PageUrl,
        PageTitle = comment.PageTitle,
        Author = comment.Author,
        Email = comment.Email,
        Website = comment.Website,
        Body = comment.Body,
        NotifyOnReply = comment.NotifyOnReply,
        Lang = comment.Lang,
        CreatedAt = comment.CreatedAt,
        Status = status,
        Reasons = reasons,
        Ip = comment.Ip,
        UserAgent = comment.UserAgent,
        Referrer = comment.Referrer,
        Honeypot = comment.Honeypot,
    };
}

/// <summary>An earlier text of a comment, and when it was written.</summary>
public sealed record CommentRevision(DateTimeOffset At, string Body);

/// <summary>One page of the owner's list: newest first, and where the next page starts.</summary>
public sealed record CommentPage(IReadOnlyList<StoredComment> Comments, string? Next);

/// <summary>The store changed the comment since it was read (optimistic concurrency).</summary>
public sealed class CommentChangedException(string id) : Exception($"Comment {id} was changed by someone else meanwhile.");
