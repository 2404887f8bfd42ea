using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Owner;
using ServerlessComments.Processing;

namespace ServerlessComments.Functions;

public sealed class ErasePrivateData(PrivacyJanitor janitor, SpamRetention spam, OwnerSessions sessions)
{
    /// <summary>Daily at 03:30 UTC: erase IPs and user agents past Privacy__RetentionDays, and spam past the owner's retention;
    /// purge expired sessions and used sign-in links.</summary>
    [Function(nameof(ErasePrivateData))]
    public async Task Run([TimerTrigger("0 30 3 * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        await janitor.RunAsync(cancellationToken);
        await spam.RunAsync(cancellationToken);
        await sessions.PurgeAsync(cancellationToken);
    }
}
