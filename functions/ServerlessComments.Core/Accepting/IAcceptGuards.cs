namespace ServerlessComments.Accepting;

/// <summary>A duplicate marker: which comment a fingerprint was recorded for, and when; for an
/// idempotency key, also a keyed hash of the submission it named (<paramref name="Payload"/>).</summary>
public sealed record GuardMark(string CommentId, DateTimeOffset At, string? Payload = null);

/// <summary>
/// The accept-time guards' memory, shared by every instance: which comments were posted
/// already (duplicates) and when each IP and address last posted (floods). Keys come salted with
/// a server-side secret (see <see cref="CommentAcceptance"/>); every row expires.
/// </summary>
public interface IAcceptGuards
{
    /// <summary>Records a fingerprint for a comment in one write that fails on a repeat (the processor, as it stores the comment).</summary>
    /// <returns>Null when recorded; otherwise the mark that was there.</returns>
    Task<GuardMark?> TryRememberAsync(string fingerprint, GuardMark mark, CancellationToken cancellationToken);

    /// <summary>The mark of a fingerprint, or null.</summary>
    Task<GuardMark?> FindAsync(string fingerprint, CancellationToken cancellationToken);

    /// <summary>Claims the right to post for each key (an IP or /64, an address) for <paramref name="window"/>.
    /// Returns how long to wait when a key posted too recently (or lost a race with a concurrent
    /// post); null when the post may go ahead. Two instances can never both take one slot.</summary>
    Task<TimeSpan?> ClaimFloodSlotAsync(IReadOnlyList<string> keys, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes these duplicate marks and flood slots (a person's data being erased).</summary>
    Task ForgetAsync(IReadOnlyCollection<string> fingerprints, IReadOnlyCollection<string> floodKeys, CancellationToken cancellationToken);

    /// <summary>Deletes duplicate marks older than <paramref name="duplicatesBefore"/> and flood
    /// slots older than <paramref name="floodsBefore"/>; how many rows went.</summary>
    Task<int> ForgetOlderThanAsync(DateTimeOffset duplicatesBefore, DateTimeOffset floodsBefore, CancellationToken cancellationToken);
}
