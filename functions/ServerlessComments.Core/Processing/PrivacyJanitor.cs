using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;

namespace ServerlessComments.Processing;

/// <summary>Erases IP addresses and user agents past the retention period: they serve spam
/// handling only. Run daily by a timer (the Function App) or a background loop (the self-host).</summary>
public sealed class PrivacyJanitor(ICommentStore store, TimeProvider clock, IOptions<PrivacyOptions> options, ILogger<PrivacyJanitor> logger)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow().AddDays(-options.Value.RetentionDays);
        var erased = await store.EraseClientDataAsync(cutoff, cancellationToken);
        logger.LogInformation("Privacy: erased the IP and user agent of {Count} comment(s) older than {Days} days", erased, options.Value.RetentionDays);
        return erased;
    }
}
