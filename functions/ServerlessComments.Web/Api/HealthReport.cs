using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using ServerlessComments.Notifications;
using ServerlessComments.Telemetry;

namespace ServerlessComments.Web.Api;

/// <summary>The state of what the app depends on: storage always, Akismet when configured.</summary>
public sealed class HealthReport(IStorageProbe storageProbe, SpamKeyStatus akismetKey, IEmailSender email, TimeProvider clock, ILogger<HealthReport> logger)
{
    /// <param name="AkismetCheckedSecondsAgo">How old the Akismet answer is: verify-key is asked at
    /// most every few minutes, not on every health check.</param>
    /// <param name="Email">Where emails go: "sendgrid", "smtp", "outbox" (local development) or "off".</param>
    /// <param name="Poison">Messages waiting in each poison queue: anything above 0 needs the operator
    /// (fix the cause, then replay-poison).</param>
    public sealed record Result(string Status, string Storage, string Akismet, int? AkismetCheckedSecondsAgo, string Email, IReadOnlyDictionary<string, int>? Poison)
    {
        [JsonIgnore] public bool Healthy => Status == "healthy";
        [JsonIgnore] public Dictionary<string, string[]> Problems { get; } = [];
    }

    public async Task<Result> CheckAsync(CancellationToken cancellationToken)
    {
        // verify-key: an invalid key is a misconfiguration (every comment would be held), so it
        // fails the check; Akismet merely unreachable does not, since comments then wait and retry.
        // It runs beside the storage probe, so a slow Akismet does not add to a slow storage.
        var verifyKey = akismetKey.GetAsync(cancellationToken);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var storage = "ok";
        IReadOnlyDictionary<string, int>? poison = null;
        try
        {
            poison = await storageProbe.CheckAsync(timeout.Token);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Health check: storage did not answer");
            storage = "unavailable";
        }

        var (key, checkedAt) = await verifyKey;
        var age = checkedAt is { } at ? (int?)Math.Max(0, (int)(clock.GetUtcNow() - at).TotalSeconds) : null;
        var result = new Result(storage == "ok" && key != "invalid" ? "healthy" : "unhealthy", storage, key, age, email.Kind, poison);
        if (storage != "ok")
            result.Problems["storage"] = ["Storage (table or queue) did not answer."];
        if (key == "invalid")
            result.Problems["akismet"] = ["Akismet refused the API key (verify-key: invalid): check Akismet__ApiKey and Akismet__BlogUrl."];
        return result;
    }
}
