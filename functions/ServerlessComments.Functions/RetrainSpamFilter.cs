using Microsoft.Azure.Functions.Worker;
using ServerlessComments.Moderation.Filter;

namespace ServerlessComments.Functions;

public sealed class RetrainSpamFilter(SpamFilter filter)
{
    /// <summary>Every five minutes: rebuild the spam filter's model from the owner's decisions (nothing is
    /// written when none came since); every instance reads it within a minute.</summary>
    [Function(nameof(RetrainSpamFilter))]
    public Task Run([TimerTrigger("0 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        filter.RetrainAsync(cancellationToken);
}
