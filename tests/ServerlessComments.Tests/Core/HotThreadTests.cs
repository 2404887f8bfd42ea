using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;
using ServerlessComments.Threads;

namespace ServerlessComments.Tests.Core;

/// <summary>Hot threads: a change of one comment costs the chunk that holds its tree, not its
/// thread, and the view it leaves is the one a full build gives.</summary>
public class HotThreadTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const string Thread = "/hot/";

    private static StoredComment Comment(int minute, string? parentId = null, CommentStatus status = CommentStatus.Published) => new()
    {
        Id = CommentId.New(T0.AddMinutes(minute)), Thread = Thread, ParentId = parentId, Author = "author " + minute,
        Email = $"a{minute}@example.com", Body = "text " + minute, CreatedAt = T0.AddMinutes(minute), Status = status,
    };

    /// <summary>A store and a view store that count what an update reads and writes.</summary>
    private sealed class Counted
    {
        public readonly InMemoryCommentStore Store = new();
        public readonly CountingStore Counting;
        public readonly CountingViews Views = new(new InMemoryThreadViews());
        public readonly ThreadOptions Options = new() { PageSize = 10, MaxDepth = 5 };

        public Counted() => Counting = new CountingStore(Store);

        public ThreadViewUpdater Updater() => new(Counting, Views, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<ThreadViewUpdater>.Instance,
            new SiteCounts(new InMemorySiteCounts(), Views, Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System, NullLogger<SiteCounts>.Instance));

        public void Reset()
        {
            Counting.Reset();
            Views.Reset();
        }
    }

    private static async Task<Counted> BigThreadAsync(int roots, int pageSize = 10)
    {
        var world = new Counted();
        world.Options.PageSize = pageSize;
        for (var i = 0; i < roots; i++)
            await world.Store.AddOnceAsync(Comment(i * 10), default);
        await world.Updater().RefreshAsync(Thread, default);
        return world;
    }

    [Fact]
    public async Task A_new_comment_in_a_big_thread_reads_its_row_and_the_end_chunks_not_the_thread()
    {
        var world = await BigThreadAsync(1000);
        var updater = world.Updater(); // a fresh instance: nothing cached
        world.Reset();

        var added = Comment(1000 * 10);
        await world.Store.AddOnceAsync(added, default);
        Assert.Equal(1001, await updater.RefreshAsync(added, default));

        Assert.Equal(0, world.Counting.PublishedReads);
        Assert.Equal(1, world.Counting.PointReads); // its own row (no parent)
        Assert.Equal(0, world.Counting.OtherCalls);
        Assert.Equal(1, world.Views.ChunkWrites); // the last chunk, grown past a page: split, its full half unchanged
        Assert.True(world.Views.ChunkReads <= 2, $"{world.Views.ChunkReads} chunks read: the last one and the first one at most");
        await AssertSameAsFullBuildAsync(world);

        // The next one, with the chunks now cached: no chunk read at all.
        world.Reset();
        var next = Comment(1001 * 10);
        await world.Store.AddOnceAsync(next, default);
        await updater.RefreshAsync(next, default);
        Assert.Equal(0, world.Views.ChunkReads);
        Assert.Equal(1, world.Views.ChunkWrites);
        await AssertSameAsFullBuildAsync(world);
    }

    [Fact]
    public async Task A_reply_lands_in_its_roots_chunk_and_only_that_chunk_is_rewritten()
    {
        var world = await BigThreadAsync(100);
        var before = await world.Views.Inner.GetStateAsync(ThreadKey.For(Thread), default);
        var roots = world.Store.All.Where(c => c.ParentId is null).OrderBy(c => c.CreatedAt).ToList();
        var root = roots[35]; // chunk 4 of 10
        world.Reset();

        var reply = Comment(5000, root.Id);
        var deeper = Comment(5001, reply.Id);
        await world.Store.AddOnceAsync(reply, default);
        await world.Store.AddOnceAsync(deeper, default);
        var updater = world.Updater();
        await updater.RefreshAsync(reply, default);
        await updater.RefreshAsync(deeper, default);

        Assert.Equal(0, world.Counting.PublishedReads);
        var after = (await world.Views.Inner.GetStateAsync(ThreadKey.For(Thread), default))!;
        Assert.Equal(102, after.Count);
        var changed = Enumerable.Range(0, 10).Where(i => before!.Chunks[i].Hash != after.Chunks[i].Hash).ToList();
        Assert.Equal([3], changed);
        var chunk = JsonSerializer.Deserialize<ThreadChunk>(world.Views.Inner.Chunks[ThreadKey.For(Thread) + "/" + after.Chunks[3].Hash], CommentJson.Options)!;
        var shown = Assert.Single(chunk.Comments, c => c.Id == root.Id);
        Assert.Equal(deeper.Id, Assert.Single(Assert.Single(shown.Replies).Replies).Id);
        await AssertSameAsFullBuildAsync(world);
    }

    [Fact]
    public async Task A_chunk_splits_past_a_page_and_an_emptied_chunk_disappears()
    {
        var world = new Counted();
        world.Options.PageSize = 5;
        var updater = world.Updater();
        var posted = new List<StoredComment>();
        for (var i = 0; i < 12; i++)
        {
            var c = Comment(i);
            posted.Add(c);
            await world.Store.AddOnceAsync(c, default);
            await updater.RefreshAsync(c, default);
        }
        var state = (await world.Views.Inner.GetStateAsync(ThreadKey.For(Thread), default))!;
        Assert.Equal([5, 5, 2], state.Chunks.Select(c => c.Roots));
        Assert.Equal(1, world.Counting.PublishedReads); // only the very first, with no state yet

        foreach (var c in posted.Skip(5).Take(5))
        {
            await world.Store.DeleteAsync(c, default);
            await updater.RefreshAsync(c, default);
        }
        state = (await world.Views.Inner.GetStateAsync(ThreadKey.For(Thread), default))!;
        Assert.Equal([5, 2], state.Chunks.Select(c => c.Roots));
        Assert.Equal(0, await world.Updater().SweepChunksAsync(Thread, default)); // none left behind
        await AssertSameAsFullBuildAsync(world);
    }

    [Theory]
    [InlineData("delete")]
    [InlineData("edit")]
    [InlineData("hold")]
    [InlineData("spam")]
    public async Task A_change_in_the_middle_of_a_long_thread_rewrites_the_chunk_that_holds_it(string change)
    {
        var world = await BigThreadAsync(200);
        var roots = world.Store.All.OrderBy(c => c.CreatedAt).ToList();
        // A root in the middle with a reply, and a reply to it: the change is to the reply.
        var root = roots[104];
        var reply = Comment(104 * 10 + 1, root.Id);
        var answer = Comment(104 * 10 + 2, reply.Id);
        await world.Store.AddOnceAsync(reply, default);
        await world.Store.AddOnceAsync(answer, default);
        await world.Updater().RefreshAsync(Thread, default);
        var before = (await world.Views.Inner.GetStateAsync(ThreadKey.For(Thread), default))!;
        world.Reset();

        var stored = (await world.Store.GetAsync(Thread, reply.Id, default))!;
        switch (change)
        {
            case "delete":
                await world.Store.DeleteAsync(stored, default);
                break;
            case "edit":
                await world.Store.SaveStatusAsync(stored with { Body = "edited *with Markdown*", EditedAt = T0.AddDays(1) }, default);
                break;
            default:
                await world.Store.SaveStatusAsync(stored with { Status = change == "hold" ? CommentStatus.Pending : CommentStatus.Spam }, default);
                break;
        }
        await world.Updater().RefreshAsync(stored, default);

        Assert.Equal(0, world.Counting.PublishedReads);
        var after = (await world.Views.Inner.GetStateAsync(ThreadKey.For(Thread), default))!;
        Assert.Equal(change == "edit" ? 202 : 201, after.Count);
        // Its root is in chunk 11 of 20, the only one replaced (when the reply goes, its answer
        // shows at top level beside it, and that chunk splits).
        var kept = after.Chunks.Select(c => c.Hash).ToHashSet();
        Assert.Equal([before.Chunks[10].Hash], before.Chunks.Select(c => c.Hash).Where(h => !kept.Contains(h)));
        Assert.True(world.Views.ChunkWrites <= 2);
        Assert.True(world.Views.ChunkReads <= 3, $"{world.Views.ChunkReads} chunks read");
        if (change != "edit")
            Assert.Contains(after.Chunks, c => c.Orphans!.Contains(reply.Id));
        await AssertSameAsFullBuildAsync(world);

        // And back: the reply published again takes its answer back under it.
        if (change is "hold" or "spam")
        {
            var held = (await world.Store.GetAsync(Thread, reply.Id, default))!;
            var published = await world.Store.SaveStatusAsync(held with { Status = CommentStatus.Published }, default);
            await world.Updater().RefreshAsync(published, default);
            await AssertSameAsFullBuildAsync(world);
            Assert.Equal(202, (await world.Views.Inner.GetStateAsync(ThreadKey.For(Thread), default))!.Count);
        }
    }

    [Fact]
    public async Task A_state_from_before_orphans_were_listed_is_rebuilt_in_full_once_then_patched()
    {
        var world = await BigThreadAsync(30);
        var views = world.Views.Inner;
        var key = ThreadKey.For(Thread);
        var state = (await views.GetStateAsync(key, default))!;
        Assert.True(await views.TryCommitAsync(key, Thread, state, state with { Chunks = state.Chunks.Select(c => c with { Orphans = null }).ToList() }, default));
        world.Reset();

        var first = Comment(1000);
        await world.Store.AddOnceAsync(first, default);
        await world.Updater().RefreshAsync(first, default);
        Assert.Equal(1, world.Counting.PublishedReads);
        var second = Comment(1001);
        await world.Store.AddOnceAsync(second, default);
        await world.Updater().RefreshAsync(second, default);
        Assert.Equal(1, world.Counting.PublishedReads);
        await AssertSameAsFullBuildAsync(world);
    }

    /// <summary>Random changes (new comments, replies at any depth, holds, approvals, spam,
    /// edits, deletions), each patched in, and after each the view is the full build's.</summary>
    [Theory]
    [InlineData(1, 5, 3)]
    [InlineData(2, 5, 1)]
    [InlineData(3, 6, 2)]
    [InlineData(4, 7, 5)]
    [InlineData(5, 5, 20)]
    [InlineData(6, 8, 4)]
    public async Task Any_sequence_of_changes_leaves_the_view_a_full_build_gives(int seed, int pageSize, int maxDepth)
    {
        var random = new Random(seed);
        var world = new Counted();
        world.Options.PageSize = pageSize;
        world.Options.MaxDepth = maxDepth;
        var updater = world.Updater();
        var minute = 0;
        for (var step = 0; step < 250; step++)
        {
            var all = world.Store.All.ToList();
            var pick = all.Count == 0 ? null : all[random.Next(all.Count)];
            StoredComment changed;
            var roll = random.Next(100);
            if (pick is null || roll < 35)
            {
                // Mostly at the end, sometimes dated back (an import, a skewed clock).
                var at = random.Next(10) == 0 ? random.Next(Math.Max(1, minute)) : ++minute * 2;
                changed = Comment(at, parentId: null, status: random.Next(6) == 0 ? CommentStatus.Pending : CommentStatus.Published) with { Id = CommentId.New(T0.AddMinutes(at).AddTicks(step)) };
                (changed, _) = await world.Store.AddOnceAsync(changed, default);
            }
            else if (roll < 65)
            {
                var at = ++minute * 2;
                changed = Comment(at, pick.Id, random.Next(8) == 0 ? CommentStatus.Pending : CommentStatus.Published);
                (changed, _) = await world.Store.AddOnceAsync(changed, default);
            }
            else if (roll < 75)
            {
                await world.Store.DeleteAsync(pick, default);
                changed = pick;
            }
            else if (roll < 85)
                changed = await world.Store.SaveStatusAsync(pick with { Body = "edited at " + step, EditedAt = T0.AddDays(1) }, default);
            else
            {
                var status = random.Next(3) switch { 0 => CommentStatus.Published, 1 => CommentStatus.Pending, _ => CommentStatus.Spam };
                changed = await world.Store.SaveStatusAsync(pick with { Status = status }, default);
            }
            await updater.RefreshAsync(changed, default);
            await AssertSameAsFullBuildAsync(world, $"seed {seed}, step {step}");
        }
        Assert.Equal(1, world.Counting.PublishedReads); // the first, with no state yet: never again
    }

    [Fact]
    public async Task Two_updaters_patching_one_thread_at_once_lose_no_comment()
    {
        var world = await BigThreadAsync(40, pageSize: 5);
        var (a, b) = (world.Updater(), world.Updater());
        var added = new List<StoredComment>();
        for (var i = 0; i < 60; i++)
        {
            var parent = i % 3 == 0 && added.Count > 0 ? added[^1].Id : null;
            var c = Comment(1000 + i, parent);
            added.Add(c);
        }
        await Task.WhenAll(added.Select(async (c, i) =>
        {
            await Task.Yield();
            await world.Store.AddOnceAsync(c, default);
            await (i % 2 == 0 ? a : b).RefreshAsync(c, default);
        }));
        Assert.Equal(100, (await world.Views.Inner.GetStateAsync(ThreadKey.For(Thread), default))!.Count);
        await AssertSameAsFullBuildAsync(world);
    }

    /// <summary>The stored view holds what a full build from the stored comments holds: the same
    /// first pages (byte for byte), count and top-level comments in order, in chunks of at most a
    /// page, none empty, each listing its orphans.</summary>
    private static async Task AssertSameAsFullBuildAsync(Counted world, string? because = null)
    {
        var key = ThreadKey.For(Thread);
        var views = world.Views.Inner;
        var full = ThreadViewBuilder.Build(Thread, world.Store.All, world.Options);
        var state = await views.GetStateAsync(key, default);
        Assert.True(state is not null, because);
        Assert.True(full.Count == state.Count, $"count {state.Count}, full build {full.Count} ({because})");

        static string Roots(IEnumerable<byte[]> chunks) => JsonSerializer.Serialize(
            chunks.SelectMany(j => JsonSerializer.Deserialize<ThreadChunk>(j, CommentJson.Options)!.Comments).ToList(), CommentJson.Options);
        var stored = state.Chunks.Select(c => views.Chunks[key + "/" + c.Hash]).ToList();
        Assert.Equal(Roots(full.Chunks.Select(c => c.Json!)), Roots(stored));
        foreach (var (info, json) in state.Chunks.Zip(stored))
        {
            var roots = JsonSerializer.Deserialize<ThreadChunk>(json, CommentJson.Options)!.Comments;
            Assert.InRange(roots.Count, 1, world.Options.PageSize);
            Assert.Equal(roots.Count, info.Roots);
            Assert.Equal(roots.Where(r => r.ParentId is not null).Select(r => r.ParentId!).Distinct().Order(StringComparer.Ordinal), info.Orphans!.Order(StringComparer.Ordinal));
        }
        foreach (var order in ThreadOrder.All)
        {
            var page = await views.ReadFirstPageAsync(key, order, null, default);
            Assert.True(page is not null, because);
            Assert.True(full.FirstPages[order].ETag == page.ETag,
                $"{order} first page differs ({because}):\n{System.Text.Encoding.UTF8.GetString(page.Json)}\nfull build:\n{System.Text.Encoding.UTF8.GetString(full.FirstPages[order].Json)}");
        }
    }
}

/// <summary>The comment store, counting what the view updater asks of it.</summary>
internal sealed class CountingStore(ICommentStore inner) : ICommentStore
{
    public int PublishedReads;
    public int PointReads;
    public int OtherCalls;

    public void Reset() => PublishedReads = PointReads = OtherCalls = 0;

    public async IAsyncEnumerable<StoredComment> PublishedInAsync(string thread, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref PublishedReads);
        await foreach (var c in inner.PublishedInAsync(thread, cancellationToken))
            yield return c;
    }

    public Task<StoredComment?> GetAsync(string thread, string id, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref PointReads);
        return inner.GetAsync(thread, id, cancellationToken);
    }

    private T Other<T>(T result)
    {
        Interlocked.Increment(ref OtherCalls);
        return result;
    }

    public Task<(StoredComment Comment, bool Added)> AddOnceAsync(StoredComment comment, CancellationToken cancellationToken) => Other(inner.AddOnceAsync(comment, cancellationToken));
    public Task<StoredComment?> FindAsync(string id, CancellationToken cancellationToken) => Other(inner.FindAsync(id, cancellationToken));
    public Task<bool> ExistsAsync(string thread, string id, CancellationToken cancellationToken) => Other(inner.ExistsAsync(thread, id, cancellationToken));
    public Task<StoredComment> SaveStatusAsync(StoredComment comment, CancellationToken cancellationToken) => Other(inner.SaveStatusAsync(comment, cancellationToken));
    public Task ReindexAsync(StoredComment comment, CancellationToken cancellationToken, bool isNew = false) => Other(inner.ReindexAsync(comment, cancellationToken, isNew));
    public Task DeleteAsync(StoredComment comment, CancellationToken cancellationToken) => Other(inner.DeleteAsync(comment, cancellationToken));
    public Task SetNotifyOnReplyAsync(StoredComment comment, bool notify, CancellationToken cancellationToken) => Other(inner.SetNotifyOnReplyAsync(comment, notify, cancellationToken));
    public Task<CommentPage> ListAsync(CommentStatus status, string? thread, string? after, int pageSize, CancellationToken cancellationToken) => Other(inner.ListAsync(status, thread, after, pageSize, cancellationToken));
    public IAsyncEnumerable<StoredComment> AllAsync(CancellationToken cancellationToken) => Other(inner.AllAsync(cancellationToken));
    public Task<int> EraseClientDataAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => Other(inner.EraseClientDataAsync(cutoff, cancellationToken));
}

/// <summary>The view store, counting chunk reads and writes.</summary>
internal sealed class CountingViews(InMemoryThreadViews inner) : IThreadViews
{
    public InMemoryThreadViews Inner => inner;
    public int ChunkReads;
    public int ChunkWrites;

    public void Reset() => ChunkReads = ChunkWrites = 0;

    public Task<byte[]?> ReadChunkAsync(string threadKey, string hash, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref ChunkReads);
        return inner.ReadChunkAsync(threadKey, hash, cancellationToken);
    }

    public Task SaveChunkAsync(string threadKey, string hash, byte[] json, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref ChunkWrites);
        return inner.SaveChunkAsync(threadKey, hash, json, cancellationToken);
    }

    public Task<ViewState?> GetStateAsync(string threadKey, CancellationToken cancellationToken) => inner.GetStateAsync(threadKey, cancellationToken);
    public Task<bool> TryCommitAsync(string threadKey, string thread, ViewState? expected, ViewState next, CancellationToken cancellationToken) => inner.TryCommitAsync(threadKey, thread, expected, next, cancellationToken);
    public Task PublishFirstPageAsync(string threadKey, string order, long sequence, ViewDocument page, CancellationToken cancellationToken) => inner.PublishFirstPageAsync(threadKey, order, sequence, page, cancellationToken);
    public Task DeleteChunkAsync(string threadKey, string hash, CancellationToken cancellationToken) => inner.DeleteChunkAsync(threadKey, hash, cancellationToken);
    public Task<IReadOnlyList<string>> ChunkHashesAsync(string threadKey, CancellationToken cancellationToken) => inner.ChunkHashesAsync(threadKey, cancellationToken);
    public Task<ViewDocument?> ReadFirstPageAsync(string threadKey, string order, string? ifNoneMatch, CancellationToken cancellationToken) => inner.ReadFirstPageAsync(threadKey, order, ifNoneMatch, cancellationToken);
    public Task<int> CountAsync(string threadKey, string thread, CancellationToken cancellationToken) => inner.CountAsync(threadKey, thread, cancellationToken);
}
