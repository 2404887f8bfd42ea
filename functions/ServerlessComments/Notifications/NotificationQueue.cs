using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using ServerlessComments.Storage;

namespace ServerlessComments.Notifications;

/// <summary>One email to send, as a job on the notification queue: storing a comment and
/// emailing about it are separate steps, so a mail failure retries the email alone.</summary>
public sealed record NotificationJob(string Kind, string CommentId, int Attempt = 0)
{
    /// <summary>To the owner: a comment was published or is held.</summary>
    public const string Owner = "owner";
    /// <summary>To the parent's author: someone replied.</summary>
    public const string Reply = "reply";
}

public sealed class NotificationQueue(QueueServiceClient queues, IOptions<StorageOptions> options)
{
    public QueueClient Queue { get; } = queues.GetQueueClient(options.Value.NotificationQueue);
    public QueueClient PoisonQueue { get; } = queues.GetQueueClient(StorageOptions.PoisonQueueOf(options.Value.NotificationQueue));

    public Task EnqueueAsync(NotificationJob job, CancellationToken cancellationToken, TimeSpan? delay = null) =>
        Queue.SendJsonAsync(job, delay, cancellationToken);
}
