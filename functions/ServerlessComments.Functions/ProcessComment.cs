using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Adapters.Storage;
using ServerlessComments.Processing;

namespace ServerlessComments.Functions;

/// <remarks>The queue is named literally: on Flex Consumption each queue function scales on its own,
/// driven by a scale controller that reads the trigger's metadata without the worker's
/// configuration, and has failed to resolve <c>%Section:Key%</c> names before (azure-functions-host#8665).
/// Start-up refuses a <c>Storage__CommentQueue</c> that differs, so the producer and trigger agree.</remarks>
public sealed class ProcessComment(CommentProcessing processing)
{
    [Function(nameof(ProcessComment))]
    public Task Run(
        [QueueTrigger(StorageOptions.DefaultCommentQueue, Connection = StorageConnection.SettingName)] string message,
        CancellationToken cancellationToken) =>
        processing.ProcessAsync(message, cancellationToken);
}
