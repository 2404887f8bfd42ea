using ServerlessComments.Comments;
using ServerlessComments.Moderation;

namespace ServerlessComments.Owner;

/// <summary>
/// What the owner reads: the comments by status (or all of them), newest first, a page at a
/// time; a search by text, author and address; one comment with what a decision needs; and
/// how many wait. Search reads the owner's list page by page and keeps the matches, up to
/// <see cref="ScanLimit"/> comments a request, and carries on from where it stopped.
/// </summary>
public sealed class OwnerInbox(ICommentStore store, IAuthorRecords authors, OwnerIdentity owner)
{
    public static readonly CommentStatus[] Statuses = [CommentStatus.Pending, CommentStatus.Spam, CommentStatus.Published];
    public const int ScanLimit = 2000;
    public const int CountLimit = 10_000;

    public sealed record Detail(StoredComment Comment, StoredComment? Parent, bool NewAuthor, IReadOnlyList<StoredComment> ByAuthor);

    public async Task<CommentPage> PageAsync(CommentStatus? status, string? thread, string? query, string? after, int pageSize, CancellationToken cancellationToken)
    {
        var matches = new List<StoredComment>();
        var scanned = 0;
        var cursor = after;
        while (true)
        {
            var page = await MergedPageAsync(status, thread, cursor, pageSize, cancellationToken);
            foreach (var comment in page.Comments)
            {
                scanned++;
                cursor = comment.Id;
                if (Matches(comment, query))
                    matches.Add(comment);
                if (matches.Count == pageSize)
                    return new CommentPage(matches, comment.Id);
            }
            if (page.Next is null)
                return new CommentPage(matches, null);
            if (scanned >= ScanLimit)
                return new CommentPage(matches, cursor);
        }
    }

    /// <summary>One status's page, or (null) every status's pages merged by id (ids sort by time).</summary>
    private async Task<CommentPage> MergedPageAsync(CommentStatus? status, string? thread, string? after, int pageSize, CancellationToken cancellationToken)
    {
        if (status is { } one)
            return await store.ListAsync(one, thread, after, pageSize, cancellationToken);
        var pages = await Task.WhenAll(Statuses.Select(s => store.ListAsync(s, thread, after, pageSize, cancellationToken)));
        var merged = pages.SelectMany(p => p.Comments).OrderByDescending(c => c.Id, StringComparer.Ordinal).Take(pageSize).ToList();
        var more = pages.Any(p => p.Next is not null) || pages.Sum(p => p.Comments.Count) > merged.Count;
        return new CommentPage(merged, more && merged.Count > 0 ? merged[^1].Id : null);
    }

    private static bool Matches(StoredComment comment, string? query)
    {
        if (string.IsNullOrWhiteSpace(query))
            return true;
        var q = query.Trim();
        return comment.Body.Contains(q, StringComparison.OrdinalIgnoreCase) || comment.Author.Contains(q, StringComparison.OrdinalIgnoreCase) ||
               comment.Email.Contains(q, StringComparison.OrdinalIgnoreCase) || (comment.Website?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false);
    }

    public async Task<Detail?> DetailAsync(string id, CancellationToken cancellationToken)
    {
        var comment = await store.FindAsync(id, cancellationToken);
        if (comment is null)
            return null;
        var parent = comment.ParentId is null ? null : await store.GetAsync(comment.Thread, comment.ParentId, cancellationToken);
        // A reader borrowing the owner's address or name is new whatever the records say (the owner's own replies mark that address known).
        var newAuthor = !comment.ByOwner && (owner.Impersonation(comment.Email, comment.Author) is not null ||
                                             !await authors.IsKnownAuthorAsync(comment.Email, comment.Author, cancellationToken));
        var byAuthor = (await PageAsync(null, null, comment.Email, null, 21, cancellationToken)).Comments
            .Where(c => c.Id != comment.Id && string.Equals(c.Email, comment.Email, StringComparison.OrdinalIgnoreCase)).Take(20).ToList();
        return new Detail(comment, parent, newAuthor, byAuthor);
    }

    /// <summary>How many comments have each status (counted up to <see cref="CountLimit"/>).</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountsAsync(CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>();
        foreach (var status in Statuses)
        {
            var n = 0;
            string? after = null;
            do
            {
                var page = await store.ListAsync(status, null, after, 1000, cancellationToken);
                n += page.Comments.Count;
                after = page.Next;
            } while (after is not null && n < CountLimit);
            counts[status.Word()] = n;
        }
        return counts;
    }
}
