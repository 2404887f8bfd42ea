using Microsoft.Extensions.Logging;
using ServerlessComments.Comments;
using ServerlessComments.Jobs;
using ServerlessComments.Moderation;
using ServerlessComments.Threads;

namespace ServerlessComments.Owner;

/// <summary>What the owner can decide about a comment; on the wire, the word in camelCase ("approve").</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(WordEnumConverter<OwnerDecision>))]
public enum OwnerDecision
{
    Approve,
    Spam,
    Ham,
    Delete,
    /// <summary>Back to held: how the console undoes approving or marking spam a held comment.</summary>
    Hold,
}

/// <summary>
/// The owner's decisions on a comment, whoever carries them (the admin API, a signed link in an
/// email, the demo loader): approve, mark spam, mark not spam (ham), delete. Each is safe to
/// repeat: the follow-ups (known author, reply email, the public view) come from the stored
/// state, so repeating a decision that was cut short finishes it.
/// </summary>
public sealed class OwnerDecisions(
    ICommentStore store, IAuthorRecords authors, ISpamService spamService, IJobQueue jobs, ThreadViewUpdater views, ILogger<OwnerDecisions> logger,
    Moderation.Filter.SpamFilter filter, Editing.Placeholders placeholders)
{
    public const OwnerDecision Approve = OwnerDecision.Approve;
    public const OwnerDecision Spam = OwnerDecision.Spam;
    public const OwnerDecision Ham = OwnerDecision.Ham;
    public const OwnerDecision Delete = OwnerDecision.Delete;
    public const OwnerDecision Hold = OwnerDecision.Hold;
    public static readonly OwnerDecision[] All = Enum.GetValues<OwnerDecision>();

    /// <summary>The decision's word ("approve"), as links and the API spell it.</summary>
    public static string Word(OwnerDecision decision) => WordEnumConverter<OwnerDecision>.Word(decision);

    /// <returns>The comment as it now is (as it was, for a delete), or null when there is no such comment.</returns>
    public Task<StoredComment?> DecideAsync(string id, OwnerDecision action, CancellationToken cancellationToken) =>
        DecideAsync(id, action, learn: true, cancellationToken);

    /// <param name="learn">Whether the spam filter learns from it: not from deleting spam in bulk by
    /// age or all at once, which would teach the filter its own verdicts back.</param>
    private async Task<StoredComment?> DecideAsync(string id, OwnerDecision action, bool learn, CancellationToken cancellationToken)
    {
        if (!All.Contains(action))
            throw new ArgumentOutOfRangeException(nameof(action), action, "Not an owner's decision.");
        for (var attempt = 1; ; attempt++)
        {
            var comment = await store.FindAsync(id, cancellationToken);
            if (comment is null)
                return null;
            try
            {
                return await DecideAsync(comment, action, learn, cancellationToken);
            }
            catch (CommentChangedException) when (attempt < 3)
            {
                // Changed between our read and our write (another decision, the privacy job): read it again.
            }
        }
    }

    /// <summary>One decision on several comments (the console's selection): each as if alone.</summary>
    public async Task<(IReadOnlyList<string> Done, IReadOnlyList<string> Missing)> DecideAllAsync(IReadOnlyList<string> ids, OwnerDecision action, CancellationToken cancellationToken)
    {
        var done = new List<string>();
        var missing = new List<string>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
            (await DecideAsync(id, action, cancellationToken) is null ? missing : done).Add(id);
        return (done, missing);
    }

    /// <summary>Deletes spam: all of it, or only what is older than <paramref name="olderThan"/> (the owner's retention).</summary>
    /// <returns>How many comments were deleted.</returns>
    public async Task<int> DeleteSpamAsync(DateTimeOffset? olderThan, CancellationToken cancellationToken)
    {
        var deleted = 0;
        string? after = null;
        do
        {
            var page = await store.ListAsync(CommentStatus.Spam, null, after, 200, cancellationToken);
            foreach (var comment in page.Comments)
            {
                if (olderThan is { } cutoff && comment.CreatedAt >= cutoff)
                    continue;
                if (await DecideAsync(comment.Id, Delete, learn: false, cancellationToken) is not null)
                    deleted++;
            }
            after = page.Next;
        } while (after is not null);
        if (deleted > 0)
            logger.LogInformation("{Count} spam comment(s) deleted", deleted);
        return deleted;
    }

    private async Task<StoredComment> DecideAsync(StoredComment comment, OwnerDecision action, bool learn, CancellationToken cancellationToken)
    {
        // Approve and not-spam teach ham; spam, and deleting a held or spam comment, teach spam.
        bool? teaches = action switch
        {
            Approve or Ham => false,
            Spam => true,
            Delete when comment.Status is CommentStatus.Pending or CommentStatus.Spam => true,
            _ => null,
        };
        if (learn && teaches is { } isSpam)
            await filter.LearnAsync(comment, isSpam, cancellationToken);

        if (action == Delete)
        {
            await store.DeleteAsync(comment, cancellationToken);
            await views.RefreshAsync(comment, cancellationToken);
            await placeholders.ForgetEmptyAboveAsync(comment, cancellationToken);
            logger.LogInformation("Comment {CommentId} deleted by the owner", comment.Id);
            return comment;
        }

        var status = action switch { Spam => CommentStatus.Spam, Hold => CommentStatus.Pending, _ => CommentStatus.Published };
        if (comment.Status != status)
        {
            var was = comment.Status;
            comment = await store.SaveStatusAsync(comment with { Status = status, Reasons = [.. comment.Reasons, $"owner: {was.Word()} → {status.Word()}"] }, cancellationToken);
            // The spam service learns only from a correction (spam, or not spam), with the fields it judged.
            if (action is Spam or Ham && spamService.IsConfigured)
                await spamService.SubmitAsync(SpamCheck.From(comment), action == Spam, cancellationToken);
            logger.LogInformation("Comment {CommentId}: {From} → {To} by the owner", comment.Id, was.Word(), status.Word());
        }
        else
            await store.ReindexAsync(comment, cancellationToken);

        if (comment.Status == CommentStatus.Spam)
            await authors.ForgetKnownAuthorAsync(comment.Email, cancellationToken);
        if (comment.IsPublished)
        {
            await authors.MarkKnownAuthorAsync(comment.Email, comment.Author, cancellationToken);
            if (comment.ParentId is not null)
            {
                // The reply email of an approved comment joins the trace of the owner's decision.
                var (traceParent, traceState) = Telemetry.CommentTracing.Now();
                await jobs.EnqueueEmailAsync(new NotificationJob(NotificationJob.Reply, comment.Id, TraceParent: traceParent, TraceState: traceState), null, cancellationToken);
            }
            // A comment rescued from spam never had its confirmation; the sender skips a confirmed address.
            if (comment.NotifyOnReply)
                await jobs.EnqueueEmailAsync(new NotificationJob(NotificationJob.Confirm, comment.Id), null, cancellationToken);
        }
        await views.RefreshAsync(comment, cancellationToken);
        return comment;
    }
}
