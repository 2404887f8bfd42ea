using System.ComponentModel.DataAnnotations;

namespace ServerlessComments.Moderation;

/// <summary><c>Akismet__MaxRetries</c> and <c>Akismet__RetryDelaySeconds</c>: what the moderation
/// rules do while the spam service does not answer.</summary>
public sealed class SpamRetryOptions
{
    public const string Section = "Akismet";

    /// <summary>How many times a comment is judged again after the spam service failed to answer
    /// before it is held with "spam check unavailable".</summary>
    [Range(0, 50)]
    public int MaxRetries { get; set; } = 6;

    /// <summary>The first wait before judging again; it doubles with each retry, up to an hour.</summary>
    [Range(1, 3600)]
    public int RetryDelaySeconds { get; set; } = 30;

    public TimeSpan RetryDelay(int attempt) =>
        TimeSpan.FromSeconds(Math.Min(3600, RetryDelaySeconds * Math.Pow(2, Math.Min(attempt, 20))));
}
