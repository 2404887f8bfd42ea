using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Accepting;
using ServerlessComments.Comments;

namespace ServerlessComments.Processing;

/// <summary>Erases IP addresses and user agents past the retention period (they serve spam
/// handling only), and the accept-time guards' rows: duplicate marks past the retention too, flood
/// slots after a day (they only ever matter for seconds), spent challenges once expired. Run daily by a timer (the Function App)
/// or a background loop (the self-host).</summary>
public sealed class PrivacyJanitor(ICommentStore store, IAcceptGuards guards, TimeProvider clock, IOptions<PrivacyOptions> options, ILogger<PrivacyJanitor> logger,
    IUsedChallenges? challenges = null)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var cutoff = now.AddDays(-options.Value.RetentionDays);
        var erased = await store.EraseClientDataAsync(cutoff, cancellationToken);
        var marks = await guards.ForgetOlderThanAsync(cutoff, now.AddDays(-1), cancellationToken);
        if (challenges is not null)
            marks += await challenges.ForgetExpiredAsync(now, cancellationToken);
        logger.LogInformation("Privacy: erased the IP and user agent of {Count} comment(s) older than {Days} days, and {Marks} old guard row(s)",
            erased, options.Value.RetentionDays, marks);
        return erased;
    }
}
