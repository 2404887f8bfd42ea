using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;

namespace ServerlessComments.Threads;

/// <summary>
/// Keeps a thread's public view in step with its comments, whoever changed them. Safe when two
/// instances change one thread at once: the view's state is read before the comments, and the
/// new state is written only if the state is unchanged (optimistic concurrency); the loser reads
/// again, so the last write always reflects every comment it could see.
/// </summary>
public sealed class ThreadViewUpdater(ICommentStore store, IThreadViews views, IOptions<ThreadOptions> options, ILogger<ThreadViewUpdater> logger)
{
    public const int MaxAttempts = 20;

    /// <returns>The thread's published count.</returns>
    public async Task<int> RefreshAsync(string thread, CancellationToken cancellationToken)
    {
        var key = ThreadKey.For(thread);
        for (var attempt = 1; ; attempt++)
        {
            var state = await views.GetStateAsync(key, cancellationToken);
            var published = new List<StoredComment>();
            await foreach (var comment in store.PublishedInAsync(thread, cancellationToken))
                published.Add(comment);
            var built = ThreadViewBuilder.Build(thread, published, options.Value);

            if (built.SameAs(state))
            {
                // Nothing changed; a first page left behind by a crash is brought up to date.
                await PublishAsync(key, state!.Sequence, built, cancellationToken);
                return built.Count;
            }

            var known = state?.Chunks.Select(c => c.Hash).ToHashSet(StringComparer.Ordinal) ?? [];
            await Task.WhenAll(built.Chunks.Where(c => !known.Contains(c.Info.Hash))
                .Select(c => views.SaveChunkAsync(key, c.Info.Hash, c.Json, cancellationToken)));

            var next = built.State((state?.Sequence ?? 0) + 1);
            if (!await views.TryCommitAsync(key, thread, state, next, cancellationToken))
            {
                if (attempt >= MaxAttempts)
                    throw new InvalidOperationException($"The view of thread {thread} kept changing under {MaxAttempts} attempts to update it.");
                logger.LogDebug("View of thread {Thread} changed meanwhile; reading it again (attempt {Attempt})", thread, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), cancellationToken);
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

    private Task PublishAsync(string key, long sequence, BuiltView built, CancellationToken cancellationToken) =>
        Task.WhenAll(built.FirstPages.Select(p => views.PublishFirstPageAsync(key, p.Key, sequence, p.Value, cancellationToken)));
}
