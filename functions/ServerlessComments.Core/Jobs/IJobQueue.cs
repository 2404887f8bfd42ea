using ServerlessComments.Comments;

namespace ServerlessComments.Jobs;

/// <summary>Putting work on a queue: accepted comments for the processor, emails for the sender.
/// A job is at least once: whatever handles it must be safe to run twice.</summary>
public interface IJobQueue
{
    /// <param name="delay">How long the job stays invisible (a later retry); none by default.</param>
    Task EnqueueCommentAsync(CommentSubmission comment, TimeSpan? delay, CancellationToken cancellationToken);

    Task EnqueueEmailAsync(NotificationJob job, TimeSpan? delay, CancellationToken cancellationToken);
}
