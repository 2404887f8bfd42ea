namespace ServerlessComments.Threads;

/// <summary>One stored chunk: where it starts and ends, and its content's hash (its name).</summary>
public sealed record ChunkInfo(string Hash, string First, string Last, int Roots)
{
    /// <summary>The parents of its top-level comments that have one (a reply whose parent is not
    /// shown: held, removed). When that parent is shown again, its replies move under it, and this
    /// says which chunks hold them without reading the others. Null in a state written before it was kept.</summary>
    public IReadOnlyList<string>? Orphans { get; init; }
}

/// <summary>
/// What a thread's stored view is made of, kept beside its comments: the count, the chunks of
/// later pages, the hashes of the first pages. <see cref="Sequence"/> grows with every change;
/// <see cref="Version"/> is the store's concurrency token for this state.
/// </summary>
public sealed record ViewState(long Sequence, int Count, IReadOnlyList<ChunkInfo> Chunks, IReadOnlyDictionary<string, string> FirstPages)
{
    public string? Version { get; init; }
}

/// <summary>
/// The thread read model's storage: first pages kept as ready answers (one read serves a page
/// view), chunks named by the hash of their content (written before the state that names them,
/// never overwritten with other content), and the state, written only if unchanged since read.
/// </summary>
public interface IThreadViews
{
    Task<ViewState?> GetStateAsync(string threadKey, CancellationToken cancellationToken);

    Task SaveChunkAsync(string threadKey, string hash, byte[] json, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="next"/> if the stored state is still <paramref name="expected"/>
    /// (null: none yet); false when another writer got there first.</summary>
    Task<bool> TryCommitAsync(string threadKey, string thread, ViewState? expected, ViewState next, CancellationToken cancellationToken);

    /// <summary>Replaces a first page, unless a page of the same or a later sequence is already there.</summary>
    Task PublishFirstPageAsync(string threadKey, string order, long sequence, ViewDocument page, CancellationToken cancellationToken);

    Task DeleteChunkAsync(string threadKey, string hash, CancellationToken cancellationToken);

    /// <summary>The hashes of every chunk stored for the thread, named by its state or not
    /// (a writer that lost a race leaves the chunks it saved).</summary>
    Task<IReadOnlyList<string>> ChunkHashesAsync(string threadKey, CancellationToken cancellationToken);

    /// <summary>A first page as stored, or null when the thread has none. When its ETag equals
    /// <paramref name="ifNoneMatch"/> the store may answer without the body (<c>Json</c> empty).</summary>
    Task<ViewDocument?> ReadFirstPageAsync(string threadKey, string order, string? ifNoneMatch, CancellationToken cancellationToken);

    Task<byte[]?> ReadChunkAsync(string threadKey, string hash, CancellationToken cancellationToken);

    /// <summary>The published count kept with the view: one point read.</summary>
    Task<int> CountAsync(string threadKey, string thread, CancellationToken cancellationToken);
}
