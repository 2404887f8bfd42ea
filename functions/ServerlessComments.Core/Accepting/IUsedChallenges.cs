namespace ServerlessComments.Accepting;

/// <summary>
/// Which solved challenges were spent already, shared by every instance, so a solution serves
/// one comment only. A row lives until its challenge expires (a later use would be refused as
/// expired anyway), then the janitor deletes it.
/// </summary>
public interface IUsedChallenges
{
    /// <summary>Spends the challenge <paramref name="id"/> on <paramref name="usedFor"/> in one write that fails on a repeat.</summary>
    /// <returns>Null when spent now; otherwise what it was spent on before.</returns>
    Task<string?> TryUseAsync(string id, string usedFor, DateTimeOffset expires, CancellationToken cancellationToken);

    /// <summary>Deletes the rows of challenges that expired before <paramref name="now"/>; how many went.</summary>
    Task<int> ForgetExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
