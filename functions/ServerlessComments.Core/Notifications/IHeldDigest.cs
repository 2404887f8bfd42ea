namespace ServerlessComments.Notifications;

/// <summary>
/// The comments waiting for the owner's next digest. A comment is written here once (waiting);
/// the digest of a period takes every waiting comment for itself (a conditional write each, so a
/// comment is taken by one period only), and forgets them once the email is sent. Safe to call
/// from several instances at once and again on retries.
/// </summary>
public interface IHeldDigest
{
    /// <summary>The comment waits for a digest; a second call changes nothing (taken or not).</summary>
    Task AddAsync(string commentId, CancellationToken cancellationToken);

    /// <summary>Takes every waiting comment for <paramref name="period"/>.</summary>
    /// <returns>Every comment taken for this period, by this call or an earlier one.</returns>
    Task<IReadOnlyList<string>> TakeAsync(long period, CancellationToken cancellationToken);

    /// <summary>The comments taken for <paramref name="period"/> (to forget them after a crash).</summary>
    Task<IReadOnlyList<string>> TakenAsync(long period, CancellationToken cancellationToken);

    /// <summary>True when some comment waits, taken by no period yet.</summary>
    Task<bool> AnyWaitingAsync(CancellationToken cancellationToken);

    /// <summary>Forgets comments that were in a sent digest.</summary>
    Task ForgetAsync(IReadOnlyCollection<string> commentIds, CancellationToken cancellationToken);
}
