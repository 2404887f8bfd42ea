namespace ServerlessComments.Comments;

/// <summary>The stored comments: the port every service reads and writes comments through.</summary>
public interface ICommentStore
{
    /// <summary>Stores a comment once; a second call with the same id changes nothing. It is not in
    /// the owner's list until <see cref="ReindexAsync"/>: the processor lists it last, once the
    /// public view shows it, so that what the owner sees as published, readers see too.</summary>
    /// <returns>The comment as stored: the given one, or the one stored before.</returns>
    Task<(StoredComment Comment, bool Added)> AddOnceAsync(StoredComment comment, CancellationToken cancellationToken);

    /// <summary>Stores many comments at once (an import), each only if absent, as
    /// <see cref="AddOnceAsync"/> does, and lists the ones added in the owner's list. A store may
    /// write them in batches; the default writes them one by one.</summary>
    /// <returns>The ids of the comments added now (the others were there already).</returns>
    async Task<IReadOnlySet<string>> AddManyAsync(IReadOnlyList<StoredComment> comments, CancellationToken cancellationToken)
    {
        var added = new HashSet<string>(StringComparer.Ordinal);
        foreach (var comment in comments)
        {
            var (stored, isNew) = await AddOnceAsync(comment, cancellationToken);
            if (!isNew)
                continue;
            await ReindexAsync(stored, cancellationToken, isNew: true);
            added.Add(comment.Id);
        }
        return added;
    }

    /// <summary>A comment by its id alone, whatever its thread; null when there is none.</summary>
    Task<StoredComment?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>A comment of this thread by its id; null when there is none.</summary>
    Task<StoredComment?> GetAsync(string thread, string id, CancellationToken cancellationToken);

    /// <summary>True when a comment with this id is stored in this thread (any status).</summary>
    Task<bool> ExistsAsync(string thread, string id, CancellationToken cancellationToken);

    /// <summary>Replaces a comment's status and reasons, unless it changed since <see cref="StoredComment.Version"/>
    /// (then <see cref="CommentChangedException"/>). Keeps the owner's list in step.</summary>
    Task<StoredComment> SaveStatusAsync(StoredComment comment, CancellationToken cancellationToken);

    /// <summary>Makes sure the owner's list shows the comment under its status, and only there
    /// (also repairs a change cut short by a crash). Safe to repeat; <paramref name="isNew"/>: it was
    /// never listed, so there is nothing to remove.</summary>
    Task ReindexAsync(StoredComment comment, CancellationToken cancellationToken, bool isNew = false);

    Task DeleteAsync(StoredComment comment, CancellationToken cancellationToken);

    /// <summary>Stops (or restarts) reply emails about one comment.</summary>
    Task SetNotifyOnReplyAsync(StoredComment comment, bool notify, CancellationToken cancellationToken);

    /// <summary>The owner's list: comments with a status (optionally of one thread), newest first,
    /// a page at a time, without reading the rest of the store; <paramref name="after"/> is the
    /// previous page's <see cref="CommentPage.Next"/>.</summary>
    Task<CommentPage> ListAsync(CommentStatus status, string? thread, string? after, int pageSize, CancellationToken cancellationToken);

    /// <summary>Every published comment of a thread, in no particular order: what its public view is built from.</summary>
    IAsyncEnumerable<StoredComment> PublishedInAsync(string thread, CancellationToken cancellationToken);

    /// <summary>Every stored comment, for rebuilding views and indexes.</summary>
    IAsyncEnumerable<StoredComment> AllAsync(CancellationToken cancellationToken);

    /// <summary>Erases the IP, user agent and referrer of comments older than <paramref name="cutoff"/>.</summary>
    /// <returns>How many comments were changed.</returns>
    Task<int> EraseClientDataAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}

/// <summary>What the site remembers about an email address: a known author (a comment of theirs
/// was published, under a name), or someone who wants no reply emails at all.</summary>
public interface IAuthorRecords
{
    /// <summary>True when this address had a comment published under this name (as WordPress
    /// checks: knowing a regular's address is not enough to be published as them).</summary>
    Task<bool> IsKnownAuthorAsync(string email, string author, CancellationToken cancellationToken);
    Task MarkKnownAuthorAsync(string email, string author, CancellationToken cancellationToken);
    /// <summary>Many at once (an import); a store may batch them, the default marks them one by one.</summary>
    async Task MarkKnownAuthorsAsync(IReadOnlyCollection<(string Email, string Author)> authors, CancellationToken cancellationToken)
    {
        foreach (var (email, author) in authors)
            await MarkKnownAuthorAsync(email, author, cancellationToken);
    }
    /// <summary>The address is no longer trusted (one of its comments was marked spam).</summary>
    Task ForgetKnownAuthorAsync(string email, CancellationToken cancellationToken);
    Task<bool> HasOptedOutOfRepliesAsync(string email, CancellationToken cancellationToken);
    Task OptOutOfRepliesAsync(string email, CancellationToken cancellationToken);
    /// <summary>True when the address confirmed, from a link emailed to it, that it wants reply emails.</summary>
    Task<bool> HasConfirmedRepliesAsync(string email, CancellationToken cancellationToken);
    /// <summary>Remembers the confirmation; it also lifts a site-wide opt-out, since the reader
    /// has just asked again, from their own mailbox.</summary>
    Task ConfirmRepliesAsync(string email, CancellationToken cancellationToken);
    /// <summary>Forgets an opt-out (the address's owner asked to be erased).</summary>
    Task ForgetOptOutAsync(string email, CancellationToken cancellationToken);
    /// <summary>Forgets that the address confirmed reply emails (the address's owner asked to be erased).</summary>
    Task ForgetConfirmationAsync(string email, CancellationToken cancellationToken);
}
