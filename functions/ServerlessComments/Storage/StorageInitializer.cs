using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ServerlessComments.Storage;

/// <summary>
/// Creates the app's table and queue if they are missing (in Azure the template creates them;
/// locally Azurite starts empty). It runs beside start-up, not before it, and retries, so that
/// storage being down delays nothing: the health endpoint says so instead. What needs the table
/// and queues to exist (the demo loader) awaits <see cref="Ready"/>.
/// </summary>
public sealed class StorageInitializer(CommentStore store, CommentQueue queue, Notifications.NotificationQueue notifications, ILogger<StorageInitializer> logger) : BackgroundService
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the table and queues exist.</summary>
    public Task Ready => _ready.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await Task.WhenAll(
                    store.Table.CreateIfNotExistsAsync(stoppingToken),
                    queue.Queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken),
                    notifications.Queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken));
                _ready.TrySetResult();
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Could not create the comment table and queue (attempt {Attempt}); is storage reachable?", attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, 2 * attempt)), stoppingToken);
            }
        }
    }
}
