using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ServerlessComments.Storage;

/// <summary>
/// Creates the app's table and queue at start-up if they are missing (in Azure the template
/// creates them; locally Azurite starts empty). Storage being down does not stop start-up:
/// the health endpoint says so instead.
/// </summary>
public sealed class StorageInitializer(CommentStore store, CommentQueue queue, ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        try
        {
            await Task.WhenAll(
                store.Table.CreateIfNotExistsAsync(timeout.Token),
                queue.Queue.CreateIfNotExistsAsync(cancellationToken: timeout.Token));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(e, "Could not create the comment table and queue at start-up; is storage reachable?");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
