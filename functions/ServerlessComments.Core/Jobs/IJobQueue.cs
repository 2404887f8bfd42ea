using ServerlessComments.Comments;

namespace ServerlessComments.Jobs;

/// <summary>Putting work on a queue: accepted comments for the processor, emails for the sender.
/// A job is at least once: whatever handles it must be safe to run twice.</summary>
public interface IJobQueue
{
    /// <param name="delay">How long the job stays invisible (a later retry); none by default.</param>
    Task EnqueueCommentAsync(CommentSubmission comment, TimeSpan? delay, CancellationToken cancellationToken);

    Task EnqueueEmailAsync(NotificationJob job, TimeSpan? delay, CancellationToken cancellationToken);

    /// <summary>Sets aside an email that will not pass if tried again (a refused address, a wrong
    /// login, retries spent) where failed jobs wait for the owner: the notifications' poison queue,
    /// which the replay command sends again once the cause is fixed. Never retried on its own.</summary>
    Task ParkEmailAsync(NotificationJob job, CancellationToken cancellationToken);

    /// <summary>The comment a queue message carries. A message that is not a comment throws
    /// <see cref="InvalidDataException"/> (and so ends in the poison queue).</summary>
    Task<CommentSubmission> ReadCommentAsync(string message, CancellationToken cancellationToken);

    /// <summary>The comment is done with (stored, or dropped as blatant spam): whatever the queue
    /// kept aside to carry it may go. Not called while it waits for a retry.</summary>
    Task CompleteCommentAsync(CommentSubmission comment, CancellationToken cancellationToken);

    /// <summary>Deletes every comment waiting to be processed that was written with this address
    /// (without case): queued, in the poison queue, or carried aside (a large comment's payload).
    /// A person's data being erased. A message being processed at this moment, or put off for a
    /// retry, is out of reach: processing drops it (see <c>ErasedAddresses</c>).</summary>
    /// <returns>How many comments went.</returns>
    Task<int> ForgetCommentsAsync(string email, CancellationToken cancellationToken);
}
