using System.Collections.Concurrent;
using System.Text.Json;
using ServerlessComments.Comments;

namespace ServerlessComments.Threads;

/// <summary>
/// Brings a thread's view up to date with a few changed comments without reading the thread:
/// only the trees the changes touch are rebuilt. A changed comment can only be shown under one of
/// its ancestors (parent links never change), and only a comment that answers it can move under
/// it; so the top-level comments looked at are its ancestors (found by key in the state's chunk
/// ranges, each a point read away) and the replies to it that show at top level (listed per chunk
/// in the state). Their trees, with the changed comments as they are stored now, are built again
/// by the same <see cref="CommentTree"/> as a full build, and put back in order. The result is the
/// full build's, cut into different chunks.
/// </summary>
internal sealed class ThreadViewPatch(ICommentStore store, IThreadViews views, ThreadOptions options, ChunkCache cache, Faces.AvatarIds? avatars = null)
{
    /// <summary>An ancestor chain longer than this is rebuilt in full (only tampered storage or a
    /// script makes one; the public tree is at most 20 levels).</summary>
    public const int MaxAncestors = 64;

    private sealed class Slot(ChunkInfo? info)
    {
        public ChunkInfo? Info { get; } = info;
        public List<PublicComment>? Roots;
        public bool Dirty;
    }

    /// <returns>The new view, or null when a patch cannot be trusted (a state from before chunks
    /// listed their orphans, a cycle): then the caller builds the whole view.</returns>
    /// <exception cref="StaleViewException">A chunk the state names is gone: another writer
    /// replaced the state since it was read; read it again.</exception>
    public async Task<BuiltView?> TryBuildAsync(string thread, string key, ViewState state, IReadOnlyCollection<StoredComment> changes, CancellationToken cancellationToken)
    {
        if (state.Chunks.Any(c => c.Orphans is null))
            return null;
        var slots = state.Chunks.Select(c => new Slot(c)).ToList();

        async Task<List<PublicComment>> LoadAsync(Slot slot)
        {
            if (slot.Roots is null && slot.Info is { } info)
                slot.Roots = (await cache.GetAsync(views, key, info.Hash, cancellationToken) ?? throw new StaleViewException()).ToList();
            return slot.Roots!;
        }

        // 1. The trees the changes touch, taken out of the view.
        var work = new Dictionary<string, PublicComment>(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var before = 0;
        async Task TakeAsync(Slot slot, string rootId)
        {
            var roots = await LoadAsync(slot);
            if (!taken.Contains(rootId) && roots.FirstOrDefault(r => r.Id == rootId) is { } root)
            {
                taken.Add(rootId);
                slot.Dirty = true;
                var stack = new Stack<PublicComment>([root]);
                while (stack.TryPop(out var node))
                {
                    before++;
                    work[node.Id] = node;
                    foreach (var reply in node.Replies)
                        stack.Push(reply);
                }
            }
        }

        // Each changed comment as stored now (read after the state: a change made since, or a
        // writer that read it before, meets a newer state at commit).
        var distinct = changes.DistinctBy(c => c.Id).ToList();
        var read = await Task.WhenAll(distinct.Select(c => store.GetAsync(thread, c.Id, cancellationToken)));
        var truths = new Dictionary<string, StoredComment?>(StringComparer.Ordinal);
        foreach (var (change, truth) in distinct.Zip(read))
        {
            truths[change.Id] = truth;
            var member = truth ?? change;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (true)
            {
                if (!seen.Add(member.Id) || seen.Count > MaxAncestors)
                    return null;
                var rootKey = PageCursor.KeyOf(ThreadViewBuilder.ToPublic(member));
                if (slots.FirstOrDefault(s => string.CompareOrdinal(s.Info!.First, rootKey) <= 0 && string.CompareOrdinal(rootKey, s.Info.Last) <= 0) is { } slot)
                    await TakeAsync(slot, member.Id);
                if (member.ParentId is null || await store.GetAsync(thread, member.ParentId, cancellationToken) is not { } parent)
                    break;
                member = parent;
            }
            foreach (var slot in slots.Where(s => s.Info!.Orphans!.Contains(change.Id, StringComparer.Ordinal)))
            {
                foreach (var orphan in (await LoadAsync(slot)).Where(r => r.ParentId == change.Id).ToList())
                    await TakeAsync(slot, orphan.Id);
            }
        }

        // 2. The changed comments as stored now, and their trees built again.
        foreach (var (id, truth) in truths)
        {
            work.Remove(id);
            if (truth is { IsPublished: true })
                work[id] = ThreadViewBuilder.ToPublic(truth, options, avatars);
        }
        var forest = CommentTree.Build(work.Values, options.MaxDepth);
        var count = state.Count - before + forest.Count;
        if (count < 0)
            return null;

        // 3. Put back in order: each top-level comment into the first chunk whose range ends at or
        //    after it (the last one when none does), so chunks stay ordered among themselves.
        foreach (var slot in slots.Where(s => s.Dirty))
            slot.Roots = slot.Roots!.Where(r => !taken.Contains(r.Id)).ToList();
        foreach (var root in forest.Roots)
        {
            var rootKey = PageCursor.KeyOf(root);
            var slot = slots.FirstOrDefault(s => s.Info is { } info && string.CompareOrdinal(rootKey, info.Last) <= 0) ?? slots.LastOrDefault();
            if (slot is null)
                slots.Add(slot = new Slot(null) { Roots = [] });
            var roots = await LoadAsync(slot);
            var at = roots.FindIndex(r => string.CompareOrdinal(PageCursor.KeyOf(r), rootKey) > 0);
            roots.Insert(at < 0 ? roots.Count : at, root);
            slot.Dirty = true;
        }

        // 4. Touched chunks written again: an empty one disappears, one grown past a page splits
        //    (full pages first, so comments added at the end fill whole chunks).
        var size = options.PageSize;
        var chunks = new List<(ChunkInfo Info, byte[]? Json, IReadOnlyList<PublicComment>? Roots)>();
        foreach (var slot in slots)
        {
            if (!slot.Dirty)
            {
                chunks.Add((slot.Info!, null, slot.Roots));
                continue;
            }
            for (var start = 0; start < slot.Roots!.Count; start += size)
            {
                var run = slot.Roots.GetRange(start, Math.Min(size, slot.Roots.Count - start));
                var (info, json) = ThreadViewBuilder.Chunk(run);
                cache.Put(key, info.Hash, run, json.Length);
                chunks.Add((info, json, run));
            }
        }

        // 5. The first pages, from the chunks at each end.
        async Task<List<PublicComment>> EndAsync(bool oldest)
        {
            var page = new List<PublicComment>(size);
            foreach (var chunk in oldest ? chunks : Enumerable.Reverse(chunks))
            {
                if (page.Count >= size)
                    break;
                var roots = chunk.Roots ?? await cache.GetAsync(views, key, chunk.Info.Hash, cancellationToken) ?? throw new StaleViewException();
                page.AddRange((oldest ? roots : roots.Reverse()).Take(size - page.Count));
            }
            return page;
        }
        var (first, last) = (await EndAsync(oldest: true), await EndAsync(oldest: false));
        var more = chunks.Sum(c => c.Info.Roots) > size;
        var firstPages = new Dictionary<string, ViewDocument>
        {
            [ThreadOrder.Oldest] = ThreadViewBuilder.Page(thread, count, ThreadOrder.Oldest, first, more),
            [ThreadOrder.Newest] = ThreadViewBuilder.Page(thread, count, ThreadOrder.Newest, last, more),
        };
        return new BuiltView(count, chunks.Select(c => (c.Info, c.Json)).ToList(), firstPages);
    }
}

/// <summary>A chunk named by the state read is gone: a writer committed a later state since.</summary>
internal sealed class StaleViewException : Exception;

/// <summary>
/// Chunks read or written lately, parsed, by name: a chunk never changes under its name, so a
/// copy is never stale. Bounded by the size of their JSON; emptied when full (a hot thread
/// refills it with the few chunks it needs at once).
/// </summary>
internal sealed class ChunkCache(long capacityBytes = 8 * 1024 * 1024)
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<PublicComment>> _chunks = new(StringComparer.Ordinal);
    private long _bytes;

    public async Task<IReadOnlyList<PublicComment>?> GetAsync(IThreadViews views, string key, string hash, CancellationToken cancellationToken)
    {
        if (_chunks.TryGetValue(key + "/" + hash, out var roots))
            return roots;
        var json = await views.ReadChunkAsync(key, hash, cancellationToken);
        if (json is null)
            return null;
        roots = JsonSerializer.Deserialize<ThreadChunk>(json, CommentJson.Options)!.Comments;
        Put(key, hash, roots, json.Length);
        return roots;
    }

    public void Put(string key, string hash, IReadOnlyList<PublicComment> roots, int jsonBytes)
    {
        if (Interlocked.Add(ref _bytes, jsonBytes) > capacityBytes)
        {
            _chunks.Clear();
            Interlocked.Exchange(ref _bytes, jsonBytes);
        }
        _chunks[key + "/" + hash] = roots;
    }
}
