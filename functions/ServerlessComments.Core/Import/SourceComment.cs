using ServerlessComments.Comments;

namespace ServerlessComments.Import;

/// <summary>The formats comments are imported from and exported to.</summary>
public static class ImportFormat
{
    public const string Wxr = "wxr";
    public const string Disqus = "disqus";
    public const string Json = "json";
    public static readonly string[] All = [Wxr, Disqus, Json];
}

/// <summary>Where a comment stood in the file it came from, before this product's rules apply.</summary>
public enum SourceStatus { Published, Pending, Spam, Trash, Deleted }

/// <summary>A comment's kind in WordPress: pingbacks and trackbacks are kept apart from comments,
/// and types that are not public conversation (editorial notes, order notes, logs) are private.</summary>
public enum SourceKind { Comment, Pingback, Trackback, Private }

/// <summary>
/// One comment as a reader found it in an export file, untrusted and unmapped: the page it was
/// under (link, identifier, title), the source's own ids, and the text as the file holds it
/// (HTML for WordPress and Disqus). <see cref="ImportMapping"/> turns it into a stored comment.
/// </summary>
public sealed record SourceComment
{
    /// <summary>The reader that found it (<see cref="ImportFormat"/>): ids are only unique within one source.</summary>
    public required string Source { get; init; }
    public required string Id { get; init; }
    public string? ParentId { get; init; }
    /// <summary>The line of the file it starts on, for messages.</summary>
    public int Line { get; init; }

    public string? Link { get; init; }
    public string? Identifier { get; init; }
    public string? Title { get; init; }
    /// <summary>This product's own thread, when the file names it (its own JSON export).</summary>
    public string? Thread { get; init; }

    public string? Author { get; init; }
    public string? Email { get; init; }
    public string? Website { get; init; }
    public string? Ip { get; init; }
    public string? UserAgent { get; init; }
    public string? Referrer { get; init; }
    public required string Body { get; init; }
    public bool BodyIsHtml { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required SourceStatus Status { get; init; }
    public SourceKind Kind { get; init; }
    /// <summary>The type as the file names it (WordPress's <c>comment_type</c>), for the summary.</summary>
    public string? Type { get; init; }
    public bool ByOwner { get; init; }
    /// <summary>When the owner last edited the text (this product's own export only).</summary>
    public DateTimeOffset? EditedAt { get; init; }
    public bool NotifyOnReply { get; init; }
    public string? Lang { get; init; }
    public IReadOnlyList<string>? Reasons { get; init; }
    /// <summary>The texts its author replaced by editing (this product's own export only).</summary>
    public IReadOnlyList<CommentRevision>? History { get; init; }
}

/// <summary>An export file that cannot be read: where, and what is wrong.</summary>
public sealed class ImportFileException(int line, string problem) : Exception($"Line {line}: {problem}")
{
    public int Line { get; } = line;
    public string Problem { get; } = problem;
    /// <summary>What the import stored before the fault (set by <see cref="ImportingComments"/>).</summary>
    public ImportSummary? Summary { get; set; }
}
