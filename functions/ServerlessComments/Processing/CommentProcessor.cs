using System.Text.Json;
using Microsoft.Extensions.Logging;
using ServerlessComments.Comments;
using ServerlessComments.Moderation;
using ServerlessComments.Storage;

namespace ServerlessComments.Processing;

/// <summary>
/// Turns one queued comment into a stored one: asks moderation for a verdict, then stores the
/// comment with it. Safe to run twice for the same message (queues deliver at least once).
/// An exception leaves the message on the queue to be retried, and after the host's
/// <c>maxDequeueCount</c> tries it moves to the poison queue.
/// </summary>
public sealed class CommentProcessor(ICommentModeration moderation, CommentStore store, ILogger<CommentProcessor> logger)
{
    public async Task ProcessAsync(string message, CancellationToken cancellationToken)
    {
        var comment = Parse(message);
        var verdict = await moderation.JudgeAsync(comment, cancellationToken);
        var stored = await store.AddOnceAsync(CommentEntity.From(comment, verdict), cancellationToken);
        if (stored)
            logger.LogInformation("Comment {CommentId} on thread {Thread} stored as {Status}", comment.Id, comment.Thread, verdict.Status);
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
