using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Processing;

namespace ServerlessComments.Functions;

public sealed class ErasePrivateData(PrivacyJanitor janitor)
{
    /// <summary>Daily at 03:30 UTC: erase IPs and user agents past Privacy__RetentionDays.</summary>
    [Function(nameof(ErasePrivateData))]
    public Task Run([TimerTrigger("0 30 3 * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        janitor.RunAsync(cancellationToken);
}
