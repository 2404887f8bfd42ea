using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;

namespace ServerlessComments.Threads;

/// <summary>
/// Keeps a thread's public view in step with its comments, whoever changed them. Safe when two
/// instances change one thread at once: the view's state is read before the comments, and the
/// new state is written only if the state is unchanged (optimistic concurrency); the loser reads
/// again, so the last write always reflects every comment it could see. A change of one comment
/// rewrites only the chunk that holds its tree, the first pages and the state
/// (<see cref="ThreadViewPatch"/>); the whole thread is read only when asked, or when there is no
/// state to patch.
/// </summary>
public sealed class ThreadViewUpdater(ICommentStore store, IThreadViews views, IOptions<ThreadOptions> options, ILogger<ThreadViewUpdater> logger, SiteCounts siteCounts,
    Faces.AvatarIds? avatars = null)
{
    public const int MaxAttempts = 20;

    // Within one instance, refreshes of a thread are coalesced (Coalescer): a burst of comments
    // on one post costs a few rebuilds instead of one each, and no conflict among this
    // instance's own writers.
    private readonly ConcurrentDictionary<string, Coalescer<StoredComment, int>> _gates = new(StringComparer.Ordinal);
    private readonly ThreadViewPatch _patch = new(store, views, options.Value, new ChunkCache(), avatars);

    /// <summary>Brings the thread's view up to date with every change made before this call,
    /// reading the whole thread.</summary>
    /// <returns>The thread's published count.</returns>
    public Task<int> RefreshAsync(string thread, CancellationToken cancellationToken) => RefreshAsync(thread, null, cancellationToken);

    /// <summary>Brings the thread's view up to date with a change of one comment (added, published,
    /// held, edited, deleted; as it was before the change is enough), reading only the chunks that
    /// hold it and its tree, not the whole thread.</summary>
    /// <returns>The thread's published count.</returns>
    public Task<int> RefreshAsync(StoredComment changed, CancellationToken cancellationToken) => RefreshAsync(changed.Thread, changed, cancellationToken);

    private Task<int> RefreshAsync(string thread, StoredComment? changed, CancellationToken cancellationToken)
    {
        // A gate forgotten between the lookup and the call is idle and runs alone; the view's
        // optimistic concurrency keeps two runs of one thread correct anyway.
        return _gates.GetOrAdd(thread, Gate).RunAsync(changed, cancellationToken);
    }

    private Coalescer<StoredComment, int> Gate(string thread)
    {
        Coalescer<StoredComment, int>? gate = null;
        gate = new Coalescer<StoredComment, int>(changed => RunAsync(thread, changed))
        {
            Idle = () => _gates.TryRemove(new KeyValuePair<string, Coalescer<StoredComment, int>>(thread, gate!)),
        };
        return gate;
    }

    private async Task<int> RunAsync(string thread, IReadOnlyList<StoredComment>? changed)
    {
        // Shared by every caller: not cancelled by any one of them.
        var count = await RefreshNowAsync(thread, changed, CancellationToken.None);
        // The site's counts document follows the view once it is current, committed or found
        // unchanged (which repairs a count a crash left behind); it never fails the refresh.
        await siteCounts.TryRecountAsync(thread, CancellationToken.None);
        return count;
    }

    private async Task<int> RefreshNowAsync(string thread, IReadOnlyList<StoredComment>? changed, CancellationToken cancellationToken)
    {
        var key = ThreadKey.For(thread);
        for (var attempt = 1; ; attempt++)
        {
            var state = await views.GetStateAsync(key, cancellationToken);
            // A few changed comments: only their chunks; with no state (or one the patch cannot
            // trust), or when asked for the whole thread: every published comment.
            BuiltView? built = null;
            try
            {
                if (state is not null && changed is not null)
                    built = await _patch.TryBuildAsync(thread, key, state, changed, cancellationToken);
            }
            catch (StaleViewException)
            {
                // Another writer committed since the state was read: read it again (or, at the
                // last attempt, build the whole view).
                if (attempt < MaxAttempts)
                {
                    await BackOffAsync(thread, attempt, cancellationToken);
                    continue;
                }
            }
            var patched = built is not null;
            if (built is null)
            {
                if (state is not null && changed is not null)
                    logger.LogInformation("View of thread {Thread} rebuilt in full: its state cannot be patched", thread);
                var published = new List<StoredComment>();
                await foreach (var comment in store.PublishedInAsync(thread, cancellationToken))
                    published.Add(comment);
                built = ThreadViewBuilder.Build(thread, published, options.Value, avatars);
            }

            // A patch always commits, even when nothing changed: a writer that read the comment
            // before this change, and patches after, then fails its commit and reads it again.
            if (!patched && built.SameAs(state))
            {
                // Nothing changed; a first page left behind by a crash is brought up to date.
                await PublishAsync(key, state!.Sequence, built, cancellationToken);
                return built.Count;
            }

            var known = state?.Chunks.Select(c => c.Hash).ToHashSet(StringComparer.Ordinal) ?? [];
            await Task.WhenAll(built.Chunks.Where(c => c.Json is not null && !known.Contains(c.Info.Hash))
                .Select(c => views.SaveChunkAsync(key, c.Info.Hash, c.Json!, cancellationToken)));

            var next = built.State((state?.Sequence ?? 0) + 1);
            if (!await views.TryCommitAsync(key, thread, state, next, cancellationToken))
            {
                if (attempt >= MaxAttempts)
                    throw new InvalidOperationException($"The view of thread {thread} kept changing under {MaxAttempts} attempts to update it.");
                await BackOffAsync(thread, attempt, cancellationToken);
                continue;
            }

            await PublishAsync(key, next.Sequence, built, cancellationToken);
            var kept = next.Chunks.Select(c => c.Hash).ToHashSet(StringComparer.Ordinal);
            foreach (var old in state?.Chunks.Where(c => !kept.Contains(c.Hash)) ?? [])
            {
                try
                {
                    await views.DeleteChunkAsync(key, old.Hash, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Only space is lost: no state names it any more.
                    logger.LogWarning(e, "An unused chunk of thread {Thread}'s view could not be deleted", thread);
                }
            }
            return built.Count;
        }
    }

    /// <summary>Deletes the thread's chunks that its state does not name: those of writers that
    /// lost a race, or whose deletion failed. They hold comments as they were, so an erasure
    /// sweeps them. A writer saving a chunk at this very moment for a state it has yet to commit
    /// could lose it; its next refresh writes it again.</summary>
    /// <returns>How many chunks went.</returns>
    public async Task<int> SweepChunksAsync(string thread, CancellationToken cancellationToken)
    {
        var key = ThreadKey.For(thread);
        var state = await views.GetStateAsync(key, cancellationToken);
        var named = state?.Chunks.Select(c => c.Hash).ToHashSet(StringComparer.Ordinal) ?? [];
        var swept = 0;
        foreach (var hash in await views.ChunkHashesAsync(key, cancellationToken))
        {
            if (named.Contains(hash))
                continue;
            await views.DeleteChunkAsync(key, hash, cancellationToken);
            swept++;
        }
        return swept;
    }

    private async Task BackOffAsync(string thread, int attempt, CancellationToken cancellationToken)
    {
        logger.LogDebug("View of thread {Thread} changed meanwhile; reading it again (attempt {Attempt})", thread, attempt);
        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), cancellationToken);
    }

    private Task PublishAsync(string key, long sequence, BuiltView built, CancellationToken cancellationToken) =>
        Task.WhenAll(built.FirstPages.Select(p => views.PublishFirstPageAsync(key, p.Key, sequence, p.Value, cancellationToken)));
}
