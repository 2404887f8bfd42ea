using Azure;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using ServerlessComments.Adapters.Storage;
using ServerlessComments.Comments;
using ServerlessComments.Jobs;

namespace ServerlessComments.Adapters.Queues;

/// <summary>The app's two queues in Azure Queue Storage: comments for the processor, emails for
/// the sender, each with the poison queue the trigger moves failed messages to.</summary>
public sealed class StorageJobQueue(QueueServiceClient queues, IOptions<StorageOptions> options) : IJobQueue
{
    public QueueClient Comments { get; } = queues.GetQueueClient(options.Value.CommentQueue);
    public QueueClient CommentsPoison { get; } = queues.GetQueueClient(StorageOptions.PoisonQueueOf(options.Value.CommentQueue));
    public QueueClient Notifications { get; } = queues.GetQueueClient(options.Value.NotificationQueue);
    public QueueClient NotificationsPoison { get; } = queues.GetQueueClient(StorageOptions.PoisonQueueOf(options.Value.NotificationQueue));

    public Task EnqueueCommentAsync(CommentSubmission comment, TimeSpan? delay, CancellationToken cancellationToken) =>
        SendJsonAsync(Comments, comment, delay, cancellationToken);

    public Task EnqueueEmailAsync(NotificationJob job, TimeSpan? delay, CancellationToken cancellationToken) =>
        SendJsonAsync(Notifications, job, delay, cancellationToken);

    /// <summary>Sends <paramref name="value"/> as camelCase JSON, creating the queue if it is
    /// missing (only before the start-up initializer has run on a fresh account).</summary>
    private static async Task SendJsonAsync<T>(QueueClient queue, T value, TimeSpan? delay, CancellationToken cancellationToken)
    {
        var message = BinaryData.FromObjectAsJson(value, CommentJson.Options);
        try
        {
            await queue.SendMessageAsync(message, delay, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await queue.SendMessageAsync(message, delay, cancellationToken: cancellationToken);
        }
    }
}
