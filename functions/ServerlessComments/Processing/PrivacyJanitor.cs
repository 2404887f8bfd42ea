using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Storage;

namespace ServerlessComments.Processing;

public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary><c>Privacy__RetentionDays</c>: how long a comment keeps the IP and user agent it came with.</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 30;
}

/// <summary>Erases IP addresses and user agents past the retention period: they serve spam
/// handling only. Run daily by a timer (the Function App) or a background loop (the self-host).</summary>
public sealed class PrivacyJanitor(CommentStore store, TimeProvider clock, IOptions<PrivacyOptions> options, ILogger<PrivacyJanitor> logger)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow().AddDays(-options.Value.RetentionDays);
        var erased = await store.EraseClientDataAsync(cutoff, cancellationToken);
        logger.LogInformation("Privacy: erased the IP and user agent of {Count} comment(s) older than {Days} days", erased, options.Value.RetentionDays);
        return erased;
    }
}
