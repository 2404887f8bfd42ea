using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Accepting;

namespace ServerlessComments.Owner;

/// <summary>
/// Failed attempts at the admin key (a bearer header, or the console's key sign-in), limited per
/// client and site-wide: after <see cref="AdminOptions.KeyFailuresPerClient"/> failures in a day from
/// one client (<see cref="AdminOptions.KeyFailuresSiteWide"/> in an hour from anyone), each further
/// attempt must wait twice as long as the last (1 s, 2 s, 4 s…, at most an hour for one client,
/// five minutes site-wide, so many addresses together can only slow the owner's key, not lock it
/// out for long). A wait refuses the right key too: otherwise the answer would still tell a guess apart.
/// </summary>
public sealed class KeyAttempts(IAttemptCounters counters, GuardKeys keys, IOptions<AdminOptions> options, TimeProvider clock, ILogger<KeyAttempts> logger)
{
    public static readonly TimeSpan ClientWindow = TimeSpan.FromDays(1);
    public static readonly TimeSpan ClientMaxDelay = TimeSpan.FromHours(1);
    public static readonly TimeSpan SiteWindow = TimeSpan.FromHours(1);
    public static readonly TimeSpan SiteMaxDelay = TimeSpan.FromMinutes(5);

    private string ClientKey(string? clientIp) => keys.Flood("key-failures\n" + (clientIp ?? "unknown"));
    private string SiteKey => keys.Flood("key-failures\nsite");

    /// <summary>How long this client must wait before its next attempt; null when it may try now.</summary>
    public async Task<TimeSpan?> WaitAsync(string? clientIp, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var client = Wait(await counters.ReadAsync(ClientKey(clientIp), cancellationToken), ClientWindow, options.Value.KeyFailuresPerClient, ClientMaxDelay, now);
        var site = Wait(await counters.ReadAsync(SiteKey, cancellationToken), SiteWindow, options.Value.KeyFailuresSiteWide, SiteMaxDelay, now);
        return client is null ? site : site is null ? client : client > site ? client : site;
    }

    /// <summary>Counts a wrong key.</summary>
    public async Task FailedAsync(string? clientIp, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var client = await counters.AddAsync(ClientKey(clientIp), ClientWindow, now, cancellationToken);
        var site = await counters.AddAsync(SiteKey, SiteWindow, now, cancellationToken);
        if (client.Count > options.Value.KeyFailuresPerClient || site.Count > options.Value.KeyFailuresSiteWide)
            logger.LogWarning("Wrong admin key: {ClientFailures} failure(s) from this client today, {SiteFailures} site-wide this hour; further attempts wait",
                client.Count, site.Count);
    }

    /// <summary>The right key: this client's count starts again (the site-wide one runs out by itself).</summary>
    public Task SucceededAsync(string? clientIp, CancellationToken cancellationToken) => counters.ResetAsync(ClientKey(clientIp), cancellationToken);

    /// <summary>The wait after <paramref name="failures"/> failures of which <paramref name="free"/> cost nothing: 1 s, then doubling, up to <paramref name="max"/>.</summary>
    public static TimeSpan Delay(int failures, int free, TimeSpan max) =>
        failures <= free ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(max.TotalSeconds, Math.Pow(2, Math.Min(failures - free - 1, 30))));

    private static TimeSpan? Wait(AttemptCount? count, TimeSpan window, int free, TimeSpan max, DateTimeOffset now)
    {
        if (count is null || now - count.Since >= window)
            return null;
        var until = count.LastAt + Delay(count.Count, free, max);
        return until > now ? until - now : null;
    }
}
