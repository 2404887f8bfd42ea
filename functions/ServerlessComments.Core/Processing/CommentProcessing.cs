using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Accepting;
using ServerlessComments.Comments;
using ServerlessComments.Jobs;
using ServerlessComments.Moderation;
using ServerlessComments.Notifications;
using ServerlessComments.PersonalData;
using ServerlessComments.Telemetry;
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
    IOptions<NotificationOptions> notificationOptions, ILogger<CommentProcessing> logger, CommentMetrics metrics, TimeProvider clock, ErasedAddresses erased,
    Faces.Avatars? avatars = null,
    Editing.ReaderEdits? edits = null)
{
    public async Task ProcessAsync(string message, CancellationToken cancellationToken)
    {
        var comment = await jobs.ReadCommentAsync(message, cancellationToken);
        // Part of the comment's trace, started by the request that accepted it.
        using var activity = CommentTracing.StartFromQueue("comment.process", comment.TraceParent, comment.TraceState);
        activity?.SetTag("comment.id", comment.Id);
        activity?.SetTag("comment.attempt", comment.Attempt);
        await CommentTracing.TracedAsync(activity, () => ProcessAsync(comment, activity, cancellationToken));
    }

    private async Task ProcessAsync(CommentSubmission comment, Activity? activity, CancellationToken cancellationToken)
    {
        if (await erased.CoversAsync(comment, cancellationToken))
        {
            // Its author's data was erased while it waited (queued, retried, or in the poison
            // queue and replayed): storing it would bring the address and IP back.
            logger.LogInformation("Comment {CommentId} dropped: its author's data was erased after it was written", comment.Id);
            await jobs.CompleteCommentAsync(comment, cancellationToken);
            return;
        }
        if (comment.EditAt is not null)
        {
            // Its author's edit of a stored comment, judged again; never a new comment.
            // Put off (the spam check is down): its copy is queued, and still needs what carries it.
            if (await (edits ?? throw new InvalidOperationException("Reader edits are not configured.")).ApplyAsync(comment, cancellationToken))
                await jobs.CompleteCommentAsync(comment, cancellationToken);
            return;
        }
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
            Verdict verdict;
            using (var judging = CommentTracing.Source.StartActivity("comment.judge"))
            {
                verdict = await moderation.JudgeAsync(comment, cancellationToken);
                judging?.SetTag("comment.decision", verdict.RetryAfter is null ? verdict.Decision.ToString() : "retry");
            }
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
                metrics.Discarded();
                activity?.SetTag("comment.status", "discarded");
                logger.LogWarning("Comment {CommentId} on thread {Thread} discarded as blatant spam: {Reasons}",
                    comment.Id, comment.Thread, string.Join("; ", verdict.Reasons));
                await jobs.CompleteCommentAsync(comment, cancellationToken);
                return;
            }
            (stored, added) = await store.AddOnceAsync(StoredComment.From(comment, verdict.Status, verdict.Reasons), cancellationToken);
            activity?.SetTag("comment.status", stored.Status.Word());
            if (added)
                metrics.Stored(stored.Status);
            if (added)
                logger.LogInformation("Comment {CommentId} on thread {Thread} stored as {Status}: {Reasons}",
                    comment.Id, comment.Thread, stored.Status.Word(), string.Join("; ", stored.Reasons));
        }
        await FollowUpAsync(comment, stored, added, cancellationToken);
        await jobs.CompleteCommentAsync(comment, cancellationToken);
    }

    /// <summary>What follows from a stored comment; every step is safe to repeat.</summary>
    private async Task FollowUpAsync(CommentSubmission comment, StoredComment stored, bool added, CancellationToken cancellationToken)
    {
        // Before the view shows its avatar id, so that its first request finds the Gravatar (if on).
        if (avatars is not null && stored.Status != CommentStatus.Spam)
            await avatars.RememberAsync(stored, cancellationToken);
        if (stored.IsPublished)
        {
            await authors.MarkKnownAuthorAsync(stored.Email, stored.Author, cancellationToken);
            await views.RefreshAsync(stored, cancellationToken);
            // Once per comment: a redelivery's refresh is not the moment it became visible.
            if (added)
                metrics.Visible(clock.GetUtcNow() - comment.CreatedAt);
        }
        // Listed for the owner once readers can see it: published in the list means published on the page.
        await store.ReindexAsync(stored, cancellationToken, isNew: added);
        // Emails are jobs of their own; queued on every delivery, sent once (the sender claims each),
        // each a step of this comment's trace.
        var (traceParent, traceState) = CommentTracing.Now(comment.TraceParent, comment.TraceState);
        if (stored.Status is CommentStatus.Published or CommentStatus.Pending && !string.IsNullOrWhiteSpace(notificationOptions.Value.OwnerEmail))
            await jobs.EnqueueEmailAsync(new NotificationJob(NotificationJob.Owner, stored.Id, TraceParent: traceParent, TraceState: traceState), null, cancellationToken);
        if (stored.IsPublished && stored.ParentId is not null)
            await jobs.EnqueueEmailAsync(new NotificationJob(NotificationJob.Reply, stored.Id, TraceParent: traceParent, TraceState: traceState), null, cancellationToken);
        // Double opt-in: the sender asks the address to confirm unless it has (or refused) already;
        // only once readers can see the comment (a held one asks when the owner approves it).
        if (stored.NotifyOnReply && stored.IsPublished)
            await jobs.EnqueueEmailAsync(new NotificationJob(NotificationJob.Confirm, stored.Id, TraceParent: traceParent, TraceState: traceState), null, cancellationToken);
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
