using ServerlessComments.Moderation;

namespace ServerlessComments.Web.Api;

/// <summary>
/// The spam service's verdict on its key (verify-key), asked at most once every few minutes
/// whoever asks (start-up, every health check), so that health checks are no lever on the
/// blog's Akismet quota. Concurrent askers share one call.
/// </summary>
public sealed class SpamKeyStatus(ISpamService spamService, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    /// <summary>An unanswered check is asked again sooner: the service may be back.</summary>
    public static readonly TimeSpan UnavailableLifetime = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Answer, DateTimeOffset At)? _last;

    public bool IsConfigured => spamService.IsConfigured;

    /// <returns>"valid", "invalid", "unavailable" (or "off"), and when the service said so.</returns>
    public async Task<(string Answer, DateTimeOffset? CheckedAt)> GetAsync(CancellationToken cancellationToken)
    {
        if (!spamService.IsConfigured)
            return ("off", null);
        if (Fresh() is { } known)
            return known;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } justChecked)
                return justChecked;
            string answer;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                try
                {
                    answer = await spamService.VerifyKeyAsync(timeout.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    answer = "unavailable";
                }
            }
            _last = (answer, clock.GetUtcNow());
            return (answer, _last.Value.At);
        }
        finally
        {
            _gate.Release();
        }
    }

    private (string, DateTimeOffset?)? Fresh()
    {
        if (_last is not { } last)
            return null;
        var lifetime = last.Answer == "unavailable" ? UnavailableLifetime : Lifetime;
        return clock.GetUtcNow() - last.At < lifetime ? (last.Answer, last.At) : null;
    }
}
