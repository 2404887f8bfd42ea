namespace ServerlessComments.Accepting;

/// <summary>
/// The accept-time guards' memory, shared by every instance: which comments were posted
/// already (duplicates) and when each IP and address last posted (floods).
/// </summary>
public interface IAcceptGuards
{
    /// <summary>Records a comment's fingerprint in one write that fails on a repeat; false for a duplicate.</summary>
    Task<bool> TryRememberAsync(string fingerprint, CancellationToken cancellationToken);

    /// <summary>Forgets a fingerprint, for a comment that was refused or not queued after all.</summary>
    Task ForgetAsync(string fingerprint, CancellationToken cancellationToken);

    /// <summary>Claims the right to post for each key (an IP, an address) for <paramref name="window"/>.
    /// Returns how long to wait when a key posted too recently (or lost a race with a concurrent
    /// post); null when the post may go ahead. Two instances can never both take one slot.</summary>
    Task<TimeSpan?> ClaimFloodSlotAsync(IReadOnlyList<string> keys, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken);
}
