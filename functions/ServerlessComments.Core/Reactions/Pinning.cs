using ServerlessComments.Comments;

namespace ServerlessComments.Reactions;

/// <summary>What became of a pin or an unpin.</summary>
public enum PinOutcome { Done, NotFound, NotTopLevel }

/// <summary>
/// The owner pins a comment to the top of its thread (one per thread; pinning another replaces
/// it), or unpins it. The pin is kept with the thread's reaction counts, so the widget reads it
/// with them and no view is rebuilt. Only a published top-level comment can be pinned: a reply
/// shown away from its conversation would lose its context.
/// </summary>
public sealed class Pinning(ICommentStore comments, ReactionTallies tallies)
{
    public async Task<PinOutcome> PinAsync(string commentId, bool pin, CancellationToken cancellationToken)
    {
        if (!CommentId.IsWellFormed(commentId) || await comments.FindAsync(commentId, cancellationToken) is not { } comment)
            return PinOutcome.NotFound;
        if (pin && !comment.IsPublished)
            return PinOutcome.NotFound;
        if (pin && comment.ParentId is not null)
            return PinOutcome.NotTopLevel;
        await tallies.CommitAsync(ThreadKey.For(comment.Thread), counts => Task.FromResult(
            pin ? counts with { Pinned = comment.Id } : counts.Pinned == comment.Id ? counts with { Pinned = null } : counts), cancellationToken);
        return PinOutcome.Done;
    }
}
