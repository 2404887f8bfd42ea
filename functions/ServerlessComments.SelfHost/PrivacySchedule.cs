using ServerlessComments.Owner;
using ServerlessComments.Processing;

namespace ServerlessComments.SelfHost;

/// <summary>The self-host's twin of the Function App's daily ErasePrivateData timer: once
/// shortly after start, then every day.</summary>
public sealed class PrivacySchedule(PrivacyJanitor janitor, SpamRetention spam, OwnerSessions sessions, ILogger<PrivacySchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Delay(TimeSpan.FromMinutes(1), stoppingToken);
        using var daily = new PeriodicTimer(TimeSpan.FromDays(1));
        do
        {
            try
            {
                await janitor.RunAsync(stoppingToken);
                await spam.RunAsync(stoppingToken);
                await sessions.PurgeAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Erasing expired IPs and user agents failed; trying again tomorrow");
            }
        }
        while (await daily.WaitForNextTickAsync(stoppingToken));
    }
}
