using ServerlessComments.Accepting;
using ServerlessComments.Comments;

namespace ServerlessComments.PersonalData;

/// <summary>Where the tombstones of erased addresses are kept: a keyed hash (never the address)
/// and when it was erased.</summary>
public interface IErasures
{
    Task RememberAsync(string key, DateTimeOffset erasedAt, CancellationToken cancellationToken);

    /// <summary>When the address with this key was last erased; null when never.</summary>
    Task<DateTimeOffset?> ErasedAtAsync(string key, CancellationToken cancellationToken);
}

/// <summary>
/// Tombstones of erased addresses. An erasure cannot reach a message that is in flight (being
/// processed, waiting out a retry delay, or replayed from a backup of the poison queue), so every
/// place that turns a message into stored data asks here first: a comment written before its
/// address was erased is dropped. The tombstone holds an HMAC of the address with the server's
/// secret, so it cannot be read back, and a comment posted after the erasure is not affected.
/// </summary>
public sealed class ErasedAddresses(IErasures erasures, GuardKeys keys)
{
    public Task RememberAsync(string email, DateTimeOffset erasedAt, CancellationToken cancellationToken) =>
        erasures.RememberAsync(keys.Tombstone(email), erasedAt, cancellationToken);

    /// <summary>True when the comment's address was erased after the comment was written.</summary>
    public async Task<bool> CoversAsync(CommentSubmission comment, CancellationToken cancellationToken) =>
        !string.IsNullOrEmpty(comment.Email) &&
        await erasures.ErasedAtAsync(keys.Tombstone(comment.Email), cancellationToken) is { } erasedAt &&
        comment.CreatedAt <= erasedAt;
}
