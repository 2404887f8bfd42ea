using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace ServerlessComments.Threads;

/// <summary>
/// The views' store with the first pages an instance serves kept in its memory: a page view is
/// answered from memory, and at most every <see cref="ThreadOptions.PageRevalidateMilliseconds"/>
/// one of them checks the stored page with a conditional read (a body only when it changed).
/// Bounded by <see cref="ThreadOptions.PageCacheMegabytes"/>; the least used pages go first. A page
/// this instance publishes is read back into its memory at once, so a reader whose comment this
/// instance processed sees it on their next poll. Everything else passes through.
/// </summary>
public sealed class CachedThreadViews : IThreadViews, IDisposable
{
    // Per entry, beside its JSON: key, validator, timestamps.
    private const int EntryOverhead = 256;

    private sealed record Cached(ViewDocument? Page, long CheckedAt, long Generation);

    private readonly IThreadViews _inner;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _revalidateAfter;
    private readonly MemoryCache? _cache;
    // A read started before a publish must not replace what the publish put: each fetch takes a
    // generation before reading, and an entry is only replaced by a later generation.
    private long _generation;
    private readonly Lock[] _stripes = Enumerable.Range(0, 64).Select(_ => new Lock()).ToArray();
    private readonly ConcurrentDictionary<string, Task<Cached>> _fetching = new(StringComparer.Ordinal);

    public CachedThreadViews(IThreadViews inner, IOptions<ThreadOptions> options, TimeProvider clock)
    {
        _inner = inner;
        _clock = clock;
        _revalidateAfter = TimeSpan.FromMilliseconds(options.Value.PageRevalidateMilliseconds);
        if (options.Value.PageCacheMegabytes > 0)
            _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.PageCacheMegabytes * 1024L * 1024L });
    }

    public async Task<ViewDocument?> ReadFirstPageAsync(string threadKey, string order, string? ifNoneMatch, CancellationToken cancellationToken)
    {
        if (_cache is null)
            return await _inner.ReadFirstPageAsync(threadKey, order, ifNoneMatch, cancellationToken);
        var id = threadKey + "/" + order;
        if (!_cache.TryGetValue(id, out Cached? cached) || _clock.GetElapsedTime(cached!.CheckedAt) >= _revalidateAfter)
            cached = await RevalidateAsync(id, threadKey, order, cached, cancellationToken);
        return cached.Page is { } page && page.ETag == ifNoneMatch ? page with { Json = [] } : cached.Page;
    }

    public async Task PublishFirstPageAsync(string threadKey, string order, long sequence, ViewDocument page, CancellationToken cancellationToken)
    {
        await _inner.PublishFirstPageAsync(threadKey, order, sequence, page, cancellationToken);
        // Read back rather than cache the page given: a later one may be stored already, and the
        // stored page's validator is the one every instance answers with.
        var id = threadKey + "/" + order;
        if (_cache is not null && _cache.TryGetValue(id, out Cached? cached))
            await FetchAsync(id, threadKey, order, cached, cancellationToken);
    }

    /// <summary>One conditional read per page at a time: the requests that find it due meanwhile share it.</summary>
    private async Task<Cached> RevalidateAsync(string id, string threadKey, string order, Cached? cached, CancellationToken cancellationToken)
    {
        var mine = new TaskCompletionSource<Cached>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = _fetching.GetOrAdd(id, mine.Task);
        if (running != mine.Task)
            return await running.WaitAsync(cancellationToken);
        try
        {
            // Shared by every waiting request: not cancelled by any one of them.
            mine.SetResult(await FetchAsync(id, threadKey, order, cached, CancellationToken.None));
        }
        catch (Exception e)
        {
            mine.SetException(e);
        }
        finally
        {
            _fetching.TryRemove(new KeyValuePair<string, Task<Cached>>(id, mine.Task));
        }
        return await mine.Task.WaitAsync(cancellationToken);
    }

    private async Task<Cached> FetchAsync(string id, string threadKey, string order, Cached? cached, CancellationToken cancellationToken)
    {
        var generation = Interlocked.Increment(ref _generation);
        var read = await _inner.ReadFirstPageAsync(threadKey, order, cached?.Page?.ETag, cancellationToken);
        var page = read is { Json.Length: 0 } && cached?.Page is { } same && same.ETag == read.ETag ? same : read;
        var next = new Cached(page, _clock.GetTimestamp(), generation);
        lock (_stripes[(id.GetHashCode() & int.MaxValue) % _stripes.Length])
        {
            if (_cache!.TryGetValue(id, out Cached? current) && current!.Generation > generation)
                return current;
            _cache.Set(id, next, new MemoryCacheEntryOptions { Size = (page?.Json.Length ?? 0) + EntryOverhead });
        }
        return next;
    }

    public Task<ViewState?> GetStateAsync(string threadKey, CancellationToken cancellationToken) =>
        _inner.GetStateAsync(threadKey, cancellationToken);

    public Task SaveChunkAsync(string threadKey, string hash, byte[] json, CancellationToken cancellationToken) =>
        _inner.SaveChunkAsync(threadKey, hash, json, cancellationToken);

    public Task<bool> TryCommitAsync(string threadKey, string thread, ViewState? expected, ViewState next, CancellationToken cancellationToken) =>
        _inner.TryCommitAsync(threadKey, thread, expected, next, cancellationToken);

    public Task DeleteChunkAsync(string threadKey, string hash, CancellationToken cancellationToken) =>
        _inner.DeleteChunkAsync(threadKey, hash, cancellationToken);

    public Task<IReadOnlyList<string>> ChunkHashesAsync(string threadKey, CancellationToken cancellationToken) =>
        _inner.ChunkHashesAsync(threadKey, cancellationToken);

    public Task<byte[]?> ReadChunkAsync(string threadKey, string hash, CancellationToken cancellationToken) =>
        _inner.ReadChunkAsync(threadKey, hash, cancellationToken);

    public Task<int> CountAsync(string threadKey, string thread, CancellationToken cancellationToken) =>
        _inner.CountAsync(threadKey, thread, cancellationToken);

    public void Dispose() => _cache?.Dispose();
}
