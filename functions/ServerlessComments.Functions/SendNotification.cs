using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Notifications;
using ServerlessComments.Storage;

namespace ServerlessComments.Functions;

public sealed class SendNotification(NotificationSender sender)
{
    [Function(nameof(SendNotification))]
    public Task Run(
        [QueueTrigger("%" + StorageOptions.Section + ":" + nameof(StorageOptions.NotificationQueue) + "%", Connection = StorageConnection.SettingName)] string message,
        CancellationToken cancellationToken) =>
        sender.SendAsync(message, cancellationToken);
}
