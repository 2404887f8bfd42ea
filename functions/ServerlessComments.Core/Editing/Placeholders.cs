using Microsoft.Extensions.Logging;
using ServerlessComments.Comments;
using ServerlessComments.Threads;

namespace ServerlessComments.Editing;

/// <summary>
/// A deleted comment that had replies stays as a placeholder, so that its replies keep their place.
/// Once its last reply is gone too it holds nothing, and it goes: readers see no empty "deleted"
/// line, and the thread's count no longer counts it (and so on up a chain of placeholders).
/// </summary>
public sealed class Placeholders(ICommentStore store, ThreadViewUpdater views, ILogger<Placeholders> logger)
{
    /// <summary>True when some comment of the thread, published or held, answers this one.</summary>
    public async Task<bool> HaveRepliesAsync(StoredComment comment, CancellationToken cancellationToken)
    {
        await foreach (var c in store.PublishedInAsync(comment.Thread, cancellationToken))
            if (c.ParentId == comment.Id)
                return true;
        string? after = null;
        do
        {
            var page = await store.ListAsync(CommentStatus.Pending, comment.Thread, after, 200, cancellationToken);
            if (page.Comments.Any(c => c.ParentId == comment.Id))
                return true;
            after = page.Next;
        } while (after is not null);
        return false;
    }

    /// <summary>After <paramref name="removed"/> was deleted outright: deletes the placeholders above it
    /// that no reply holds any more, and brings the thread's view up to date with them.</summary>
    /// <returns>How many placeholders went.</returns>
    public async Task<int> ForgetEmptyAboveAsync(StoredComment removed, CancellationToken cancellationToken)
    {
        var forgotten = 0;
        var parentId = removed.ParentId;
        while (parentId is not null)
        {
            var parent = await store.GetAsync(removed.Thread, parentId, cancellationToken);
            if (parent is not { Deleted: true } || await HaveRepliesAsync(parent, cancellationToken))
                break;
            await store.DeleteAsync(parent, cancellationToken);
            await views.RefreshAsync(parent, cancellationToken);
            logger.LogInformation("Placeholder {CommentId} deleted: its last reply went", parent.Id);
            forgotten++;
            parentId = parent.ParentId;
        }
        return forgotten;
    }
}
