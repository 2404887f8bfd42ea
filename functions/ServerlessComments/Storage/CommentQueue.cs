using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;

namespace ServerlessComments.Storage;

/// <summary>The queue between accepting a comment and processing it.</summary>
public sealed class CommentQueue(QueueServiceClient queues, IOptions<StorageOptions> options)
{
    public QueueClient Queue { get; } = queues.GetQueueClient(options.Value.CommentQueue);
    public QueueClient PoisonQueue { get; } = queues.GetQueueClient(StorageOptions.PoisonQueueOf(options.Value.CommentQueue));

    /// <param name="delay">How long the message stays invisible (a later retry); none by default.</param>
    public Task EnqueueAsync(CommentSubmission comment, CancellationToken cancellationToken, TimeSpan? delay = null) =>
        Queue.SendJsonAsync(comment, delay, cancellationToken);
}

public static class QueueSending
{
    /// <summary>Sends <paramref name="value"/> as camelCase JSON, creating the queue if it is
    /// missing (only before the start-up initializer has run on a fresh account).</summary>
    public static async Task SendJsonAsync<T>(this QueueClient queue, T value, TimeSpan? delay, CancellationToken cancellationToken)
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

public static class CommentJson
{
    /// <summary>camelCase JSON, as the web API speaks it; used for queue messages too.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
