using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServerlessComments.Adapters.Blobs;
using ServerlessComments.Adapters.Queues;
using ServerlessComments.Adapters.Tables;
using ServerlessComments.Threads;

namespace ServerlessComments.Adapters.Account;

/// <summary>
/// Creates the app's table, queues and view container if they are missing (in Azure the
/// template creates them; locally Azurite starts empty), then, once per storage account, builds
/// the thread views and the owner's list for comments stored before they existed (version 1).
/// It runs beside start-up, not before it, and retries, so that storage being down delays
/// nothing: the health endpoint says so instead. What needs storage ready awaits <see cref="Ready"/>.
/// </summary>
public sealed class StorageInitializer(
    CommentTable table, StorageJobQueue queues, BlobThreadViews views, ViewRebuild rebuild, ILogger<StorageInitializer> logger) : BackgroundService
{
    /// <summary>Raised when the views' shape changes so that every account rebuilds them once.
    /// 2: the site's counts document (<c>counts.json</c>), filled by the rebuild for threads older than it.
    /// 3: each comment's avatar id, and a comment with Markdown carries its formatted text (<c>formatted</c>), so that every comment of a thread is shown by the same rules.</summary>
    public const int ViewsVersion = 3;
    private const string MetaPartition = "~meta";
    private const string ViewsRow = "views";

    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the table, queues and container exist.</summary>
    public Task Ready => _ready.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await Task.WhenAll(
                    table.Client.CreateIfNotExistsAsync(stoppingToken),
                    queues.Comments.CreateIfNotExistsAsync(cancellationToken: stoppingToken),
                    queues.Notifications.CreateIfNotExistsAsync(cancellationToken: stoppingToken),
                    views.Container.CreateIfNotExistsAsync(cancellationToken: stoppingToken),
                    queues.Payloads.CreateIfNotExistsAsync(cancellationToken: stoppingToken));
                _ready.TrySetResult();
                await BuildViewsOnceAsync(stoppingToken);
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Could not prepare storage (attempt {Attempt}); is storage reachable?", attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, 2 * attempt)), stoppingToken);
            }
        }
    }

    /// <summary>Idempotent, so two instances starting at once both doing it is harmless.</summary>
    private async Task BuildViewsOnceAsync(CancellationToken cancellationToken)
    {
        var marker = await table.Client.GetEntityIfExistsAsync<TableEntity>(MetaPartition, ViewsRow, cancellationToken: cancellationToken);
        if (marker.HasValue && marker.Value!.GetInt32("Version") >= ViewsVersion)
            return;
        logger.LogInformation("Building thread views and the owner's list for comments stored before they existed");
        await rebuild.RunAsync(cancellationToken);
        await table.Client.UpsertEntityAsync(new TableEntity(MetaPartition, ViewsRow) { ["Version"] = ViewsVersion }, TableUpdateMode.Replace, cancellationToken);
    }
}
