using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Processing;
using ServerlessComments.Storage;

namespace ServerlessComments.Functions;

public sealed class ProcessComment(CommentProcessor processor)
{
    [Function(nameof(ProcessComment))]
    public Task Run(
        [QueueTrigger("%" + StorageOptions.Section + ":" + nameof(StorageOptions.CommentQueue) + "%", Connection = StorageConnection.SettingName)] string message,
        CancellationToken cancellationToken) =>
        processor.ProcessAsync(message, cancellationToken);
}
