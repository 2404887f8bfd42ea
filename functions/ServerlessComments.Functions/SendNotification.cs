using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Adapters.Storage;
using ServerlessComments.Notifications;

namespace ServerlessComments.Functions;

public sealed class SendNotification(NotificationDelivery delivery)
{
    [Function(nameof(SendNotification))]
    public Task Run(
        [QueueTrigger("%" + StorageOptions.Section + ":" + nameof(StorageOptions.NotificationQueue) + "%", Connection = StorageConnection.SettingName)] string message,
        CancellationToken cancellationToken) =>
        delivery.SendAsync(message, cancellationToken);
}
