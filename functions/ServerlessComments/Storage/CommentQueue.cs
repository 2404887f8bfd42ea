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
    public QueueClient PoisonQueue { get; } = queues.GetQueueClient(options.Value.PoisonQueue);

    /// <param name="delay">How long the message stays invisible (a later retry); none by default.</param>
    public async Task EnqueueAsync(CommentSubmission comment, CancellationToken cancellationToken, TimeSpan? delay = null)
    {
        var message = BinaryData.FromObjectAsJson(comment, CommentJson.Options);
        try
        {
            await Queue.SendMessageAsync(message, delay, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Only before the start-up initializer has created the queue on a fresh account.
            await Queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await Queue.SendMessageAsync(message, delay, cancellationToken: cancellationToken);
        }
    }
}

public static class CommentJson
{
    /// <summary>camelCase JSON, as the web API speaks it; used for queue messages too.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
