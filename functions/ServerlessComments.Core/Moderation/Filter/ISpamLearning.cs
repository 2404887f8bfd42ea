namespace ServerlessComments.Moderation.Filter;

/// <summary>One owner decision, as the filter learns it: the fields it reads, no IP, and not the
/// address itself but its keyed hash (<see cref="Accepting.GuardKeys.SpamExampleAuthor"/>), so that
/// an erasure by address finds the examples of comments already deleted. Null for an example kept
/// before the hash was, or for a comment without an address.</summary>
public sealed record SpamExample(string CommentId, bool IsSpam, string Author, string? Website, string Body, DateTimeOffset DecidedAt, string? AddressKey = null);

/// <summary>The filter's model as stored, and the version to tell a newer one by; no content when
/// the caller already holds this version.</summary>
public sealed record StoredSpamModel(byte[]? Content, string Version);

/// <summary>
/// Where the filter keeps what the owner taught it: one example per comment decided (a later
/// decision on the same comment replaces it), and the model retrained from them, which every
/// instance reads.
/// </summary>
public interface ISpamLearning
{
    Task SaveExampleAsync(SpamExample example, CancellationToken cancellationToken);
    Task<IReadOnlyList<SpamExample>> ListExamplesAsync(CancellationToken cancellationToken);
    /// <summary>Forgets the examples made from these comments (a reader's erasure); the next retraining drops them from the model.</summary>
    Task ForgetExamplesAsync(IReadOnlyCollection<string> commentIds, CancellationToken cancellationToken);
    /// <summary>Forgets the examples whose <see cref="SpamExample.AddressKey"/> is this one (an erasure by address,
    /// which also reaches comments the owner deleted).</summary>
    Task ForgetExamplesByAddressAsync(string addressKey, CancellationToken cancellationToken);
    /// <summary>Null when no model was saved (or after a reset). When the stored model is still
    /// <paramref name="knownVersion"/>, only its version: every instance asks each minute, and the
    /// model is about a megabyte.</summary>
    Task<StoredSpamModel?> ReadModelAsync(string? knownVersion, CancellationToken cancellationToken);
    Task SaveModelAsync(byte[] content, CancellationToken cancellationToken);
    /// <summary>Forgets every example and the model.</summary>
    Task ResetAsync(CancellationToken cancellationToken);
}
