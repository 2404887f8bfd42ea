using Azure.Storage.Queues;

namespace ServerlessComments.Adapters.Queues;

/// <summary>
/// Moves messages from a poison queue back to the queue they failed on, once the cause is
/// fixed, so that no accepted comment is ever lost. Each message is sent to the main queue before
/// it is deleted from the poison queue: a crash in between duplicates a message (which processing
/// tolerates) but never drops one.
/// </summary>
public static class PoisonReplay
{
    /// <param name="drop">Messages not to replay but to delete (a comment whose author's data was
    /// erased since it failed): true drops the message.</param>
    public static async Task<int> ReplayAsync(QueueClient poison, QueueClient target, int? limit, CancellationToken cancellationToken,
        Func<string, CancellationToken, Task<bool>>? drop = null)
    {
        if (!await poison.ExistsAsync(cancellationToken))
            return 0;
        var moved = 0;
        while (limit is null || moved < limit)
        {
            var batch = Math.Min(32, (limit ?? int.MaxValue) - moved);
            var messages = (await poison.ReceiveMessagesAsync(batch, TimeSpan.FromMinutes(1), cancellationToken)).Value;
            if (messages.Length == 0)
                break;
            foreach (var message in messages)
            {
                if (drop is not null && await drop(message.Body.ToString(), cancellationToken))
                {
                    await poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                    continue;
                }
                // Both clients use the same encoding, so the body goes back exactly as it came.
                await target.SendMessageAsync(message.Body, visibilityTimeout: null, timeToLive: StorageJobQueue.NeverExpires, cancellationToken: cancellationToken);
                await poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                moved++;
            }
        }
        return moved;
    }
}
