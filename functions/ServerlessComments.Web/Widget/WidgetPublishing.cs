using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Threads;

namespace ServerlessComments.Web.Widget;

/// <summary>
/// With public views (<see cref="WidgetOptions.StaticBase"/>), keeps the widget's files in the
/// views container at start-up, so a page view fetches script, style sheet, first page and counts
/// from storage and runs no function. At start-up rather than at deployment because the files are
/// built here, from the strings, the retention setting and the API's address; it is idempotent
/// (an unchanged file is not rewritten), so every instance starting costs one read per file.
/// </summary>
public sealed class WidgetPublishing(WidgetAssets assets, IPublicFiles files, IOptions<WidgetOptions> options, ILogger<WidgetPublishing> logger) : BackgroundService
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once every file is in place (at once when the option is off).</summary>
    public Task Done => _done.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.StaticBase.Length == 0)
        {
            _done.TrySetResult();
            return;
        }
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                foreach (var (name, file) in assets.Published)
                {
                    if (await files.PublishAsync(name, file, stoppingToken))
                        logger.LogInformation("Published {File} to the public views", name);
                }
                _done.TrySetResult();
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Could not publish the widget's files to the public views (attempt {Attempt}); pages that load them from there fail until this works", attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, 2 * attempt)), stoppingToken);
            }
        }
    }
}
