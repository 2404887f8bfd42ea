using System.Text.Json;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;

namespace ServerlessComments.Threads;

/// <summary>
/// Reading a thread, as page views do: the first page is a stored answer (one read, no tree
/// to build), later pages come from the stored chunks, counts from the state kept with each view.
/// </summary>
public sealed class ThreadReading(IThreadViews views, SiteCounts siteCounts, IOptions<ThreadOptions> options)
{
    public const int MaxThreadsPerCount = 50;

    /// <summary>How a page may be cached, whoever serves it (the API, or storage directly): browsers
    /// revalidate every view (ETag, 304 is cheap, and a reader who just posted sees their comment on
    /// reload); a CDN or static host in front may keep it 5 seconds.</summary>
    public const string CacheControl = "public, max-age=0, s-maxage=5";

    /// <summary>A page of the thread. For a first page whose ETag is <paramref name="ifNoneMatch"/>,
    /// the store may leave the JSON empty: the caller answers 304.</summary>
    public async Task<ViewDocument> ReadAsync(string thread, string order, PageCursor? after, string? ifNoneMatch, CancellationToken cancellationToken)
    {
        var key = ThreadKey.For(thread);
        if (after is null)
            return await views.ReadFirstPageAsync(key, order, ifNoneMatch, cancellationToken)
                   ?? ThreadViewBuilder.Page(thread, 0, order, [], more: false);

        // A chunk can be replaced between reading the state and reading it: then read both again.
        for (var attempt = 1; ; attempt++)
        {
            var state = await views.GetStateAsync(key, cancellationToken);
            if (state is null)
                return ThreadViewBuilder.Page(thread, 0, order, [], more: false);
            var page = await LaterPageAsync(key, state, after, cancellationToken);
            if (page is not null)
                return ThreadViewBuilder.Page(thread, state.Count, order, page.Value.Comments, page.Value.More);
            if (attempt == 3)
                throw new InvalidOperationException($"The view of thread {thread} changed under three reads of one page.");
        }
    }

    public async Task<IReadOnlyDictionary<string, int>> CountAsync(IReadOnlyList<string> threads, CancellationToken cancellationToken)
    {
        var all = await siteCounts.ReadAsync(cancellationToken);
        var byThread = new Dictionary<string, int>(threads.Count, StringComparer.Ordinal);
        foreach (var thread in threads)
            byThread[thread] = all.GetValueOrDefault(thread);
        return byThread;
    }

    /// <summary>The page after the cursor: at most two chunks hold it, as chunks are page-sized.</summary>
    private async Task<(List<PublicComment> Comments, bool More)?> LaterPageAsync(string key, ViewState state, PageCursor after, CancellationToken cancellationToken)
    {
        var size = options.Value.PageSize;
        var oldestFirst = after.Order == ThreadOrder.Oldest;
        var chunks = oldestFirst ? state.Chunks : state.Chunks.Reverse().ToList();
        bool Beyond(string rootKey) => oldestFirst
            ? string.CompareOrdinal(rootKey, after.Key) > 0
            : string.CompareOrdinal(rootKey, after.Key) < 0;

        var start = chunks.Select((c, i) => (c, i)).FirstOrDefault(x => Beyond(oldestFirst ? x.c.Last : x.c.First), (null!, -1)).Item2;
        if (start < 0)
            return ([], false);
        var page = new List<PublicComment>();
        var i = start;
        for (; i < chunks.Count && page.Count < size; i++)
        {
            var json = await views.ReadChunkAsync(key, chunks[i].Hash, cancellationToken);
            if (json is null)
                return null;
            var roots = JsonSerializer.Deserialize<ThreadChunk>(json, CommentJson.Options)!.Comments;
            foreach (var root in oldestFirst ? roots : roots.Reverse())
            {
                if (page.Count < size && Beyond(PageCursor.KeyOf(root)))
                    page.Add(root);
            }
        }
        return (page, page.Count > 0 && HasBeyond(chunks, page[^1], oldestFirst));
    }

    /// <summary>True when some top-level comment comes after <paramref name="last"/> in this order.</summary>
    private static bool HasBeyond(IReadOnlyList<ChunkInfo> chunks, PublicComment last, bool oldestFirst)
    {
        var key = PageCursor.KeyOf(last);
        return oldestFirst
            ? chunks.Count > 0 && string.CompareOrdinal(chunks[^1].Last, key) > 0
            : chunks.Count > 0 && string.CompareOrdinal(chunks[^1].First, key) < 0;
    }
}
