namespace ServerlessComments.Threads;

/// <summary>
/// The site's counts document: one stored JSON file, <c>{"threads":{"/a-post/":3,…}}</c>, every
/// thread with published comments and its published count, nothing else (it may be served publicly,
/// as it is). Read whole, written whole, only over the version read (optimistic concurrency).
/// </summary>
public interface ISiteCounts
{
    /// <summary>The document as stored, or null when there is none yet. When its ETag equals
    /// <paramref name="ifNoneMatch"/> the store may answer without the body (<c>Json</c> empty).</summary>
    Task<ViewDocument?> ReadAsync(string? ifNoneMatch, CancellationToken cancellationToken);

    /// <summary>Writes the document if the stored one still has the ETag <paramref name="expectedETag"/>
    /// (null: none stored yet); false when another writer got there first.</summary>
    Task<bool> TryWriteAsync(byte[] json, string? expectedETag, CancellationToken cancellationToken);
}
