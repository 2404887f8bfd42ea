using System.Collections.Concurrent;

namespace ServerlessComments.Accepting;

/// <summary>
/// A small allowance of requests per network (an IPv4 address, an IPv6 /64) and calendar minute,
/// kept by this instance only: what it bounds is this instance's work, so a shared counter would
/// buy nothing. The preview and the challenge each keep one.
/// </summary>
public sealed class MinuteAllowance(TimeProvider clock)
{
    private const int MaxNetworks = 10_000;

    private readonly ConcurrentDictionary<string, (long Minute, int Count)> _recent = new(StringComparer.Ordinal);

    /// <summary>Counts one request of this client; the seconds until its network may ask again when it
    /// asked more than <paramref name="perMinute"/> times this minute, else null.</summary>
    public int? Wait(string? ip, int perMinute)
    {
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var minute = now / 60;
        if (_recent.Count > MaxNetworks)
            foreach (var old in _recent.Where(r => r.Value.Minute < minute).ToList())
                _recent.TryRemove(old);
        var key = ip is null ? "" : CommentAcceptance.FloodNetwork(ip);
        var (_, count) = _recent.AddOrUpdate(key, (minute, 1), (_, seen) => seen.Minute == minute ? (minute, seen.Count + 1) : (minute, 1));
        return count > perMinute ? (int)(60 - now % 60) : null;
    }
}
