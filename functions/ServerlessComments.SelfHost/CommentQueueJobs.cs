using Microsoft.Azure.WebJobs;
using ServerlessComments.Adapters.Storage;
using ServerlessComments.Notifications;
using ServerlessComments.Processing;

namespace ServerlessComments.SelfHost;

/// <summary>The self-host's queue triggers: the WebJobs SDK twins of the Function App's (a test
/// checks that both name the same functions and queues).</summary>
public sealed class CommentQueueJobs(CommentProcessing processing, NotificationDelivery delivery)
{
    [FunctionName("ProcessComment")]
    public Task ProcessComment(
        [QueueTrigger("%" + StorageOptions.Section + ":" + nameof(StorageOptions.CommentQueue) + "%", Connection = StorageConnection.SettingName)] string message,
        CancellationToken cancellationToken) =>
        processing.ProcessAsync(message, cancellationToken);

    [FunctionName("SendNotification")]
    public Task SendNotification(
        [QueueTrigger("%" + StorageOptions.Section + ":" + nameof(StorageOptions.NotificationQueue) + "%", Connection = StorageConnection.SettingName)] string message,
        CancellationToken cancellationToken) =>
        delivery.SendAsync(message, cancellationToken);
}
