using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServerlessComments.Adapters.Blobs;
using ServerlessComments.Adapters.Tables;
using ServerlessComments.Comments;
using ServerlessComments.Tests.Contracts;
using ServerlessComments.Tests.Infrastructure;
using ServerlessComments.Threads;

namespace ServerlessComments.Tests.Integration;

/// <summary>Hot threads on real storage: two updaters (two instances) patching one thread's
/// view at once, through the table and blob adapters, lose no comment and leave the view a full
/// build gives.</summary>
[Collection(AzureContracts.Name)]
public sealed class HotThreadStorageTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private const string Thread = "/hot-azurite/";

    private static StoredComment Comment(int i, string? parentId = null) => new()
    {
        Id = CommentId.New(T0.AddSeconds(i)), Thread = Thread, ParentId = parentId, Author = "author " + i,
        Email = $"a{i}@example.com", Body = "text " + i, CreatedAt = T0.AddSeconds(i), Status = CommentStatus.Published,
    };

    [Fact]
    public async Task Two_instances_patching_one_thread_at_once_leave_every_comment_in_a_full_builds_view()
    {
        var storage = new AzureTestStorage(azurite);
        var table = await storage.TableAsync();
        var store = new TableCommentStore(table);
        var views = new BlobThreadViews(storage.Blobs, table, Options.Create(storage.Names));
        var options = new ThreadOptions { PageSize = 5, MaxDepth = 3 };
        ThreadViewUpdater Instance() => new(store, views, Options.Create(options), NullLogger<ThreadViewUpdater>.Instance,
            new SiteCounts(new ServerlessComments.Tests.Core.InMemorySiteCounts(), views, Options.Create(options), TimeProvider.System, NullLogger<SiteCounts>.Instance));
        var (a, b) = (Instance(), Instance());

        // A thread to start from, built in full; then 80 comments, a third of them replies, each
        // stored and patched in by one instance or the other, 8 at a time.
        var all = new List<StoredComment>();
        for (var i = 0; i < 12; i++)
        {
            all.Add(Comment(i));
            await store.AddOnceAsync(all[^1], default);
        }
        await a.RefreshAsync(Thread, default);
        var added = new List<StoredComment>();
        for (var i = 0; i < 80; i++)
        {
            var parent = i is 10 or 11 ? added[5] : i % 3 == 0 ? all[(i * 7) % all.Count] : null;
            added.Add(Comment(100 + i, parent?.Id));
            all.Add(added[^1]);
        }
        await Parallel.ForEachAsync(added.Select((c, i) => (c, i)), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (x, ct) =>
        {
            await store.AddOnceAsync(x.c, ct);
            await (x.i % 2 == 0 ? a : b).RefreshAsync(x.c, ct);
        });
        // And a change in the middle: a reply deleted, its answers shown at top level.
        var gone = (await store.GetAsync(Thread, added[5].Id, default))!;
        await store.DeleteAsync(gone, default);
        await b.RefreshAsync(gone, default);

        var key = ThreadKey.For(Thread);
        var published = new List<StoredComment>();
        await foreach (var c in store.PublishedInAsync(Thread, default))
            published.Add(c);
        var full = ThreadViewBuilder.Build(Thread, published, options);
        var state = (await views.GetStateAsync(key, default))!;
        Assert.Equal(91, full.Count);
        Assert.Equal(full.Count, state.Count);
        var roots = new List<PublicComment>();
        foreach (var chunk in state.Chunks)
        {
            var json = await views.ReadChunkAsync(key, chunk.Hash, default);
            Assert.NotNull(json);
            var run = JsonSerializer.Deserialize<ThreadChunk>(json, CommentJson.Options)!.Comments;
            Assert.InRange(run.Count, 1, options.PageSize);
            roots.AddRange(run);
        }
        Assert.Equal(
            JsonSerializer.Serialize(full.Chunks.SelectMany(c => JsonSerializer.Deserialize<ThreadChunk>(c.Json!, CommentJson.Options)!.Comments), CommentJson.Options),
            JsonSerializer.Serialize(roots, CommentJson.Options));
        foreach (var order in ThreadOrder.All)
            Assert.Equal(System.Text.Encoding.UTF8.GetString(full.FirstPages[order].Json), System.Text.Encoding.UTF8.GetString((await views.ReadFirstPageAsync(key, order, null, default))!.Json));
        // Chunks of lost races are swept, as an erasure does; what the state names stays.
        await a.SweepChunksAsync(Thread, default);
        Assert.Equal(state.Chunks.Select(c => c.Hash).Order(), (await views.ChunkHashesAsync(key, default)).Order());
    }
}
