using ServerlessComments.Moderation;

namespace ServerlessComments.Owner;

/// <summary>The owner's choice, made in the console: spam older than so many days is deleted by
/// the daily clean-up (the privacy timer), so the spam folder does not grow for ever.</summary>
public sealed class SpamRetention(OwnerRules rules, OwnerDecisions decisions, TimeProvider clock)
{
    /// <returns>How many spam comments were deleted (0 when the owner keeps spam).</returns>
    public async Task<int> RunAsync(CancellationToken cancellationToken) =>
        (await rules.CurrentAsync(cancellationToken)).SpamRetentionDays is > 0 and var days
            ? await decisions.DeleteSpamAsync(clock.GetUtcNow().AddDays(-days), cancellationToken)
            : 0;
}
