using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Adapters.Storage;
using ServerlessComments.Processing;

namespace ServerlessComments.Functions;

public sealed class ProcessComment(CommentProcessing processing)
{
    [Function(nameof(ProcessComment))]
    public Task Run(
        [QueueTrigger("%" + StorageOptions.Section + ":" + nameof(StorageOptions.CommentQueue) + "%", Connection = StorageConnection.SettingName)] string message,
        CancellationToken cancellationToken) =>
        processing.ProcessAsync(message, cancellationToken);
}
