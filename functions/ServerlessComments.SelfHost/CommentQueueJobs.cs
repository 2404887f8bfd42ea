using Microsoft.Azure.WebJobs;
using ServerlessComments.Notifications;
using ServerlessComments.Processing;
using ServerlessComments.Storage;

namespace ServerlessComments.SelfHost;

/// <summary>The self-host's queue triggers: the WebJobs SDK twins of the Function App's.</summary>
public sealed class CommentQueueJobs(CommentProcessor processor, NotificationSender sender)
{
    [FunctionName("ProcessComment")]
    public Task ProcessComment(
        [QueueTrigger("%" + StorageOptions.Section + ":" + nameof(StorageOptions.CommentQueue) + "%", Connection = StorageConnection.SettingName)] string message,
        CancellationToken cancellationToken) =>
        processor.ProcessAsync(message, cancellationToken);

    /// <summary>The twin of the Function App's SendNotification.</summary>
    [FunctionName("SendNotification")]
    public Task SendNotification(
        [QueueTrigger("%" + StorageOptions.Section + ":" + nameof(StorageOptions.NotificationQueue) + "%", Connection = StorageConnection.SettingName)] string message,
        CancellationToken cancellationToken) =>
        sender.SendAsync(message, cancellationToken);
}
