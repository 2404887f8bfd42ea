using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Accepting;
using ServerlessComments.Comments;
using ServerlessComments.Jobs;
using ServerlessComments.Moderation;
using ServerlessComments.Notifications;
using ServerlessComments.Threads;

namespace ServerlessComments.Processing;

/// <summary>
/// Processing a queued comment: judge it, store it with its verdict (or drop a discard), then
/// the follow-ups: the known-author mark, the thread's view, the emails. Queues deliver at least
/// once, so a comment already stored is not judged again, and the follow-ups always come from
/// what is stored. An exception leaves the message on the queue to be retried, and after the
/// host's <c>maxDequeueCount</c> tries it moves to the poison queue.
/// </summary>
public sealed class CommentProcessing(
    ICommentModeration moderation, ICommentStore store, IAuthorRecords authors, IJobQueue jobs, ThreadViewUpdater views, DuplicateMarks duplicates,
    IOptions<NotificationOptions> notificationOptions, ILogger<CommentProcessing> logger, IMeterFactory meters)
{
    public const string MeterName = "ServerlessComments";
    private readonly Counter<long> _discarded = meters.Create(MeterName).CreateCounter<long>("comments.discarded", description: "Blatant spam dropped without being stored");

    public async Task ProcessAsync(string message, CancellationToken cancellationToken)
    {
        var comment = await jobs.ReadCommentAsync(message, cancellationToken);
        var stored = await store.GetAsync(comment.Thread, comment.Id, cancellationToken);
        var added = false;
        if (stored is not null)
            logger.LogInformation("Comment {CommentId} was already stored; finishing its follow-ups only", comment.Id);
        else
        {
            if (!await duplicates.ClaimAsync(comment, cancellationToken))
            {
                // The same text from the same address is stored already (a double submission, a
                // reader's retry after a lost answer): one copy is enough.
                logger.LogInformation("Comment {CommentId} dropped: the same text from the same address is stored already", comment.Id);
                await jobs.CompleteCommentAsync(comment, cancellationToken);
                return;
            }
            var verdict = await moderation.JudgeAsync(comment, cancellationToken);
            if (verdict.RetryAfter is { } delay)
            {
                // Not a verdict: judge it again later, with a growing delay. The copy is queued
                // before this message completes, so the comment is never without a message.
                await jobs.EnqueueCommentAsync(comment with { Attempt = comment.Attempt + 1 }, delay, cancellationToken);
                logger.LogWarning("Comment {CommentId}: {Reason}; judging again in {Delay} (retry {Attempt})",
                    comment.Id, string.Join("; ", verdict.Reasons), delay, comment.Attempt + 1);
                return;
            }
            if (verdict.Decision == Decision.Discard)
            {
                _discarded.Add(1);
                logger.LogWarning("Comment {CommentId} on thread {Thread} discarded as blatant spam: {Reasons}",
                    comment.Id, comment.Thread, string.Join("; ", verdict.Reasons));
                await jobs.CompleteCommentAsync(comment, cancellationToken);
                return;
            }
            (stored, added) = await store.AddOnceAsync(StoredComment.From(comment, verdict.Status, verdict.Reasons), cancellationToken);
            if (added)
                logger.LogInformation("Comment {CommentId} on thread {Thread} stored as {Status}: {Reasons}",
                    comment.Id, comment.Thread, stored.Status, string.Join("; ", stored.Reasons));
        }
        await FollowUpAsync(stored, added, cancellationToken);
        await jobs.CompleteCommentAsync(comment, cancellationToken);
    }

    /// <summary>What follows from a stored comment; every step is safe to repeat.</summary>
    private async Task FollowUpAsync(StoredComment stored, bool added, CancellationToken cancellationToken)
    {
        if (stored.IsPublished)
        {
            await authors.MarkKnownAuthorAsync(stored.Email, stored.Author, cancellationToken);
            await views.RefreshAsync(stored.Thread, cancellationToken);
        }
        // Listed for the owner once readers can see it: published in the list means published on the page.
        await store.ReindexAsync(stored, cancellationToken, isNew: added);
        // Emails are jobs of their own; queued on every delivery, sent once (the sender claims each).
        if (stored.Status is CommentStatus.Published or CommentStatus.Pending && !string.IsNullOrWhiteSpace(notificationOptions.Value.OwnerEmail))
            await jobs.EnqueueEmailAsync(new NotificationJob(NotificationJob.Owner, stored.Id), null, cancellationToken);
        if (stored.IsPublished && stored.ParentId is not null)
            await jobs.EnqueueEmailAsync(new NotificationJob(NotificationJob.Reply, stored.Id), null, cancellationToken);
        // Double opt-in: the sender asks the address to confirm unless it has (or refused) already.
        if (stored.NotifyOnReply && stored.Status is CommentStatus.Published or CommentStatus.Pending)
            await jobs.EnqueueEmailAsync(new NotificationJob(NotificationJob.Confirm, stored.Id), null, cancellationToken);
    }

    /// <summary>Reads a queue message; one that is not a valid comment throws, and so ends in the poison queue.</summary>
    public static CommentSubmission Parse(string message)
    {
        CommentSubmission? comment;
        try
        {
            comment = JsonSerializer.Deserialize<CommentSubmission>(message, CommentJson.Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("The queue message is not a comment: " + e.Message, e);
        }
        if (comment is null || !CommentId.IsWellFormed(comment.Id) || string.IsNullOrEmpty(comment.Thread) ||
            string.IsNullOrEmpty(comment.Author) || string.IsNullOrEmpty(comment.Body) || string.IsNullOrEmpty(comment.Email))
            throw new InvalidDataException("The queue message lacks a comment's required fields.");
        return comment;
    }
}
