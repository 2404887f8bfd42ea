using Microsoft.Azure.WebJobs;
using ServerlessComments.Processing;
using ServerlessComments.Storage;

namespace ServerlessComments.SelfHost;

/// <summary>The self-host's queue trigger: the WebJobs SDK twin of the Function App's ProcessComment.</summary>
public sealed class CommentQueueJobs(CommentProcessor processor)
{
    [FunctionName("ProcessComment")]
    public Task ProcessComment(
        [QueueTrigger("%" + StorageOptions.Section + ":" + nameof(StorageOptions.CommentQueue) + "%", Connection = StorageConnection.SettingName)] string message,
        CancellationToken cancellationToken) =>
        processor.ProcessAsync(message, cancellationToken);
}
