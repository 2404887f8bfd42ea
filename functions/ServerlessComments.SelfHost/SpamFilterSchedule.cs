using ServerlessComments.Moderation.Filter;

namespace ServerlessComments.SelfHost;

/// <summary>The self-host's twin of the Function App's RetrainSpamFilter timer: every five minutes,
/// the spam filter's model rebuilt from the owner's decisions. Several self-hosts may each run it:
/// retraining the same examples gives the same model, and none is written when nothing changed.</summary>
public sealed class SpamFilterSchedule(SpamFilter filter, ILogger<SpamFilterSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SpamFilter.RetrainEvery);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await filter.RetrainAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Retraining the spam filter failed; the current model stays in use");
            }
        }
    }
}
