using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;
using ServerlessComments.Moderation;
using ServerlessComments.Notifications;
using ServerlessComments.Storage;

namespace ServerlessComments.Processing;

/// <summary>
/// Turns one queued comment into a stored one: asks moderation for a verdict, then stores the
/// comment with it (or drops it, for a discard). Safe to run twice for the same message (queues
/// deliver at least once). An exception leaves the message on the queue to be retried, and after
/// the host's <c>maxDequeueCount</c> tries it moves to the poison queue.
/// </summary>
public sealed class CommentProcessor(
    ICommentModeration moderation, CommentStore store, CommentQueue queue, NotificationQueue notifications,
    IOptions<NotificationOptions> notificationOptions, ILogger<CommentProcessor> logger, IMeterFactory meters)
{
    public const string MeterName = "ServerlessComments";
    private readonly Counter<long> _discarded = meters.Create(MeterName).CreateCounter<long>("comments.discarded", description: "Blatant spam dropped without being stored");

    public async Task ProcessAsync(string message, CancellationToken cancellationToken)
    {
        var comment = Parse(message);
        var verdict = await moderation.JudgeAsync(comment, cancellationToken);

        if (verdict.RetryAfter is { } delay)
        {
            // Not a verdict: judge it again later, with a growing delay. The copy is queued before
            // this message completes, so the comment is never without a message.
            await queue.EnqueueAsync(comment with { Attempt = comment.Attempt + 1 }, cancellationToken, delay);
            logger.LogWarning("Comment {CommentId}: {Reason}; judging again in {Delay} (retry {Attempt})",
                comment.Id, string.Join("; ", verdict.Reasons), delay, comment.Attempt + 1);
            return;
        }

        if (verdict.Decision == Decision.Discard)
        {
            _discarded.Add(1);
            logger.LogWarning("Comment {CommentId} on thread {Thread} discarded as blatant spam: {Reasons}",
                comment.Id, comment.Thread, string.Join("; ", verdict.Reasons));
            return;
        }

        var stored = await store.AddOnceAsync(CommentEntity.From(comment, verdict), cancellationToken);
        if (verdict.Decision == Decision.Publish)
            await store.MarkKnownAuthorAsync(comment.Email, cancellationToken);
        // Emails are jobs of their own; queued on every delivery, sent once (the sender claims each).
        if (verdict.Decision is Decision.Publish or Decision.Hold && !string.IsNullOrWhiteSpace(notificationOptions.Value.OwnerEmail))
            await notifications.EnqueueAsync(new NotificationJob(NotificationJob.Owner, comment.Id), cancellationToken);
        if (verdict.Decision == Decision.Publish && comment.ParentId is not null)
            await notifications.EnqueueAsync(new NotificationJob(NotificationJob.Reply, comment.Id), cancellationToken);
        if (stored)
            logger.LogInformation("Comment {CommentId} on thread {Thread} stored as {Status}: {Reasons}",
                comment.Id, comment.Thread, verdict.Status, string.Join("; ", verdict.Reasons));
        else
            logger.LogInformation("Comment {CommentId} was already stored; duplicate delivery ignored", comment.Id);
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
