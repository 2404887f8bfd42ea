using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;

namespace ServerlessComments.Storage;

/// <summary>The queue between accepting a comment and processing it.</summary>
public sealed class CommentQueue(QueueServiceClient queues, IOptions<StorageOptions> options)
{
    public QueueClient Queue { get; } = queues.GetQueueClient(options.Value.CommentQueue);
    public QueueClient PoisonQueue { get; } = queues.GetQueueClient(options.Value.PoisonQueue);

    public Task EnqueueAsync(CommentSubmission comment, CancellationToken cancellationToken) =>
        Queue.SendMessageAsync(BinaryData.FromObjectAsJson(comment, CommentJson.Options), cancellationToken: cancellationToken);
}

public static class CommentJson
{
    /// <summary>camelCase JSON, as the web API speaks it; used for queue messages too.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
