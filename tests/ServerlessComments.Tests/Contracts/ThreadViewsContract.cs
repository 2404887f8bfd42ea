using System.Text;
using Microsoft.Extensions.Options;
using ServerlessComments.Adapters.Blobs;
using ServerlessComments.Comments;
using ServerlessComments.Tests.Core;
using ServerlessComments.Tests.Infrastructure;
using ServerlessComments.Threads;

namespace ServerlessComments.Tests.Contracts;

public abstract class ThreadViewsContract
{
    protected abstract Task<IThreadViews> CreateAsync();

    private const string Thread = "/2024/03/post/";
    private static readonly string Key = ThreadKey.For(Thread);

    private static ViewState State(long sequence, int count, params string[] chunks) =>
        new(sequence, count, chunks.Select(h => new ChunkInfo(h, "a", "b", 1)).ToList(), new Dictionary<string, string> { ["oldest"] = "h" + sequence });

    private static ViewDocument Page(string text) => ViewDocument.Of(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task The_state_is_written_only_over_the_version_read()
    {
        var views = await CreateAsync();
        Assert.Null(await views.GetStateAsync(Key, default));
        Assert.True(await views.TryCommitAsync(Key, Thread, null, State(1, 1), default));
        // A second first writer loses.
        Assert.False(await views.TryCommitAsync(Key, Thread, null, State(1, 5), default));
        var read = (await views.GetStateAsync(Key, default))!;
        Assert.Equal(1, read.Count);
        Assert.NotNull(read.Version);
        Assert.True(await views.TryCommitAsync(Key, Thread, read, State(2, 2, "c1", "c2"), default));
        // The version read before that commit is stale.
        Assert.False(await views.TryCommitAsync(Key, Thread, read, State(3, 9), default));
        var now = (await views.GetStateAsync(Key, default))!;
        Assert.Equal(2, now.Sequence);
        Assert.Equal(["c1", "c2"], now.Chunks.Select(c => c.Hash));
        Assert.Equal("h2", now.FirstPages["oldest"]);
        Assert.NotEqual(read.Version, now.Version);
    }

    [Fact]
    public async Task Many_committing_over_one_version_at_once_one_wins()
    {
        var views = await CreateAsync();
        await views.TryCommitAsync(Key, Thread, null, State(1, 1), default);
        var read = (await views.GetStateAsync(Key, default))!;
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => views.TryCommitAsync(Key, Thread, read, State(2, 10 + i), default))));
        Assert.Equal(1, results.Count(r => r));
    }

    [Fact]
    public async Task The_count_is_the_committed_one_and_only_for_its_thread()
    {
        var views = await CreateAsync();
        Assert.Equal(0, await views.CountAsync(Key, Thread, default));
        await views.TryCommitAsync(Key, Thread, null, State(1, 4), default);
        Assert.Equal(4, await views.CountAsync(Key, Thread, default));
        // Another thread whose key were the same (a hash collision) reads no count of this one.
        Assert.Equal(0, await views.CountAsync(Key, "/another/", default));
    }

    [Fact]
    public async Task A_first_page_never_steps_back_to_an_older_sequence()
    {
        var views = await CreateAsync();
        Assert.Null(await views.ReadFirstPageAsync(Key, "oldest", null, default));
        await views.PublishFirstPageAsync(Key, "oldest", 2, Page("two"), default);
        await views.PublishFirstPageAsync(Key, "oldest", 1, Page("one"), default);
        Assert.Equal("two", Encoding.UTF8.GetString((await views.ReadFirstPageAsync(Key, "oldest", null, default))!.Json));
        await views.PublishFirstPageAsync(Key, "oldest", 3, Page("three"), default);
        Assert.Equal("three", Encoding.UTF8.GetString((await views.ReadFirstPageAsync(Key, "oldest", null, default))!.Json));
        Assert.Null(await views.ReadFirstPageAsync(Key, "newest", null, default));
    }

    [Fact]
    public async Task A_first_page_read_with_its_own_etag_comes_without_a_body()
    {
        var views = await CreateAsync();
        await views.PublishFirstPageAsync(Key, "newest", 1, Page("{\"comments\":[]}"), default);
        var page = (await views.ReadFirstPageAsync(Key, "newest", null, default))!;
        Assert.NotEmpty(page.Json);
        Assert.Empty((await views.ReadFirstPageAsync(Key, "newest", page.ETag, default))!.Json);
        Assert.NotEmpty((await views.ReadFirstPageAsync(Key, "newest", "\"other\"", default))!.Json);
        await views.PublishFirstPageAsync(Key, "newest", 2, Page("{\"comments\":[1]}"), default);
        var changed = (await views.ReadFirstPageAsync(Key, "newest", page.ETag, default))!;
        Assert.Equal("{\"comments\":[1]}", Encoding.UTF8.GetString(changed.Json));
        Assert.NotEqual(page.ETag, changed.ETag);
    }

    [Fact]
    public async Task Many_publishing_at_once_the_latest_sequence_stays()
    {
        var views = await CreateAsync();
        await Task.WhenAll(Enumerable.Range(1, 6).Select(i => Task.Run(() => views.PublishFirstPageAsync(Key, "oldest", i, Page("v" + i), default))));
        Assert.Equal("v6", Encoding.UTF8.GetString((await views.ReadFirstPageAsync(Key, "oldest", null, default))!.Json));
    }

    [Fact]
    public async Task Chunks_are_saved_listed_read_and_deleted_per_thread()
    {
        var views = await CreateAsync();
        var other = ThreadKey.For("/other/");
        Assert.Empty(await views.ChunkHashesAsync(Key, default));
        Assert.Null(await views.ReadChunkAsync(Key, "h1", default));
        await views.SaveChunkAsync(Key, "h1", "[1]"u8.ToArray(), default);
        await views.SaveChunkAsync(Key, "h2", "[2]"u8.ToArray(), default);
        await views.SaveChunkAsync(other, "h3", "[3]"u8.ToArray(), default);
        Assert.Equal(["h1", "h2"], (await views.ChunkHashesAsync(Key, default)).Order());
        Assert.Equal("[2]"u8.ToArray(), await views.ReadChunkAsync(Key, "h2", default));
        Assert.Null(await views.ReadChunkAsync(Key, "h3", default));
        await views.DeleteChunkAsync(Key, "h1", default);
        await views.DeleteChunkAsync(Key, "h1", default);
        Assert.Equal(["h2"], await views.ChunkHashesAsync(Key, default));
    }
}

public sealed class InMemoryThreadViewsContract : ThreadViewsContract
{
    protected override Task<IThreadViews> CreateAsync() => Task.FromResult<IThreadViews>(new InMemoryThreadViews());
}

[Collection(AzureContracts.Name)]
public sealed class BlobThreadViewsContract(AzuriteFixture azurite) : ThreadViewsContract
{
    protected override async Task<IThreadViews> CreateAsync()
    {
        var storage = new AzureTestStorage(azurite);
        // No container yet: the adapter creates it on its first write, as on a fresh account.
        return new BlobThreadViews(storage.Blobs, await storage.TableAsync(), Options.Create(storage.Names));
    }
}
