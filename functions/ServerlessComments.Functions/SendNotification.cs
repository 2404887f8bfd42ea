using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Adapters.Storage;
using ServerlessComments.Notifications;

namespace ServerlessComments.Functions;

public sealed class SendNotification(NotificationDelivery delivery)
{
    [Function(nameof(SendNotification))]
    public Task Run(
        [QueueTrigger(StorageOptions.DefaultNotificationQueue, Connection = StorageConnection.SettingName)] string message,
        CancellationToken cancellationToken) =>
        delivery.SendAsync(message, cancellationToken);
}
