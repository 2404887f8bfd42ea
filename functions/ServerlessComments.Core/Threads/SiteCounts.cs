using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;

namespace ServerlessComments.Threads;

/// <summary>The stored shape of the site's counts: thread id to published count, threads with none left out.</summary>
public sealed record SiteCountsDocument([property: JsonPropertyName("threads")] IReadOnlyDictionary<string, int> Threads)
{
    public static SiteCountsDocument Parse(byte[] json) =>
        JsonSerializer.Deserialize<SiteCountsDocument>(json)?.Threads is { } threads ? new(threads) : new(new Dictionary<string, int>());

    // Sorted, so that the same counts are the same bytes (and the same ETag) whoever writes them.
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(
        new SiteCountsDocument(new SortedDictionary<string, int>(Threads.Where(t => t.Value > 0).ToDictionary(), StringComparer.Ordinal)));
}

/// <summary>
/// Every thread's published count in one document, so that counting any number of threads costs
/// one storage read, and that read is shared by every request of the next second or so.
/// <para>Writing: after each refresh of a thread's view, the thread is marked and the document is
/// rewritten. A writer reads the document first, then each marked thread's count from its view's
/// state (the arbiter, written with optimistic concurrency), then writes only over the version it
/// read. So a count read before another writer's newer one can never land after it: that writer's
/// write changed the document's ETag after ours was read, and ours fails and starts over. Within an
/// instance writes are coalesced like the view updater's refreshes: while one runs, every caller
/// waits for a single next one that takes all their threads.</para>
/// </summary>
public sealed class SiteCounts(ISiteCounts store, IThreadViews views, IOptions<ThreadOptions> options, TimeProvider clock, ILogger<SiteCounts> logger)
{
    public const int MaxAttempts = 20;

    private sealed record Snapshot(IReadOnlyDictionary<string, int> Counts, string? ETag, long ReadAt);

    private readonly Lock _lock = new();
    // Writes within an instance: while one runs, every caller waits for a single next one that
    // takes all their threads (and those of a write that failed).
    private Coalescer<string, bool>? _writes;

    private Coalescer<string, bool> Writes => LazyInitializer.EnsureInitialized(ref _writes, () => new Coalescer<string, bool>(async threads =>
    {
        await WriteAsync(threads!.ToHashSet(StringComparer.Ordinal));
        return true;
    }));
    private Snapshot? _snapshot;
    private Task<Snapshot>? _loading;

    /// <summary>The published counts of every thread that has any, as stored at most
    /// <see cref="ThreadOptions.CountsCacheMilliseconds"/> ago: at most one storage read per call.</summary>
    public async Task<IReadOnlyDictionary<string, int>> ReadAsync(CancellationToken cancellationToken)
    {
        Task<Snapshot> loading;
        lock (_lock)
        {
            var kept = _snapshot;
            if (kept is not null && clock.GetElapsedTime(kept.ReadAt) < TimeSpan.FromMilliseconds(options.Value.CountsCacheMilliseconds))
                return kept.Counts;
            // Requests arriving while it is read share that one read.
            loading = _loading ??= LoadAsync(kept);
        }
        return (await loading.WaitAsync(cancellationToken)).Counts;
    }

    private async Task<Snapshot> LoadAsync(Snapshot? kept)
    {
        await Task.Yield(); // let the caller's lock go first
        try
        {
            var stored = await store.ReadAsync(kept?.ETag, CancellationToken.None);
            var next = stored switch
            {
                null => new Snapshot(new Dictionary<string, int>(), null, clock.GetTimestamp()),
                { Json.Length: 0 } when kept is not null => kept with { ReadAt = clock.GetTimestamp() },
                _ => new Snapshot(SiteCountsDocument.Parse(stored.Json).Threads, stored.ETag, clock.GetTimestamp()),
            };
            lock (_lock)
                _snapshot = next;
            return next;
        }
        finally
        {
            lock (_lock)
                _loading = null;
        }
    }

    /// <summary>Brings the document up to date with these threads' views as they are now. Never
    /// throws: a failure is logged and the threads stay marked for the next write (or <c>rebuild-views</c>).</summary>
    /// <returns>False when the document could not be written.</returns>
    public async Task<bool> TryRecountAsync(string thread, CancellationToken cancellationToken)
    {
        try
        {
            await Writes.RunAsync(thread, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The site's counts document could not be updated for thread {Thread}; it will be at the next change", thread);
            return false;
        }
    }

    private async Task WriteAsync(IReadOnlyCollection<string> threads)
    {
        for (var attempt = 1; ; attempt++)
        {
            // The document first, the counts after: see the class's summary.
            var stored = await store.ReadAsync(null, CancellationToken.None);
            var counts = new Dictionary<string, int>(stored is null ? [] : SiteCountsDocument.Parse(stored.Json).Threads, StringComparer.Ordinal);
            var changed = false;
            foreach (var (thread, count) in await CountEachAsync(threads))
            {
                if (count > 0 && (!counts.TryGetValue(thread, out var old) || old != count))
                {
                    counts[thread] = count;
                    changed = true;
                }
                else if (count <= 0)
                    changed |= counts.Remove(thread);
            }
            if (!changed)
                return;
            if (await store.TryWriteAsync(new SiteCountsDocument(counts).ToJson(), stored?.ETag, CancellationToken.None))
            {
                lock (_lock)
                    _snapshot = null; // this instance's next read sees its own write
                return;
            }
            if (attempt >= MaxAttempts)
                throw new InvalidOperationException($"The site's counts document kept changing under {MaxAttempts} attempts to update it.");
            logger.LogDebug("The site's counts document changed meanwhile; reading it again (attempt {Attempt})", attempt);
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)));
        }
    }

    private async Task<List<(string Thread, int Count)>> CountEachAsync(IReadOnlyCollection<string> threads)
    {
        var counts = new List<(string, int)>(threads.Count);
        await Parallel.ForEachAsync(threads, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (thread, ct) =>
        {
            var count = await views.CountAsync(ThreadKey.For(thread), thread, ct);
            lock (counts)
                counts.Add((thread, count));
        });
        return counts;
    }
}
