using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ServerlessComments.Adapters.Blobs;
using ServerlessComments.Comments;
using ServerlessComments.Tests.Core;
using ServerlessComments.Tests.Infrastructure;
using ServerlessComments.Threads;

namespace ServerlessComments.Tests.Contracts;

public abstract class SiteCountsContract
{
    protected abstract Task<ISiteCounts> CreateAsync();

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task The_document_is_written_only_over_the_etag_read()
    {
        var counts = await CreateAsync();
        Assert.Null(await counts.ReadAsync(null, default));
        Assert.True(await counts.TryWriteAsync(Json("{\"threads\":{\"/a/\":1}}"), null, default));
        // A second first writer loses.
        Assert.False(await counts.TryWriteAsync(Json("{\"threads\":{\"/b/\":1}}"), null, default));
        var read = (await counts.ReadAsync(null, default))!;
        Assert.Equal("{\"threads\":{\"/a/\":1}}", Encoding.UTF8.GetString(read.Json));
        Assert.True(await counts.TryWriteAsync(Json("{\"threads\":{\"/a/\":2}}"), read.ETag, default));
        // The ETag read before that write is stale, even to write the same bytes again.
        Assert.False(await counts.TryWriteAsync(Json("{\"threads\":{\"/a/\":2}}"), read.ETag, default));
        var now = (await counts.ReadAsync(null, default))!;
        Assert.Equal("{\"threads\":{\"/a/\":2}}", Encoding.UTF8.GetString(now.Json));
        Assert.NotEqual(read.ETag, now.ETag);
    }

    [Fact]
    public async Task Many_writing_over_one_etag_at_once_one_wins()
    {
        var counts = await CreateAsync();
        await counts.TryWriteAsync(Json("{\"threads\":{}}"), null, default);
        var read = (await counts.ReadAsync(null, default))!;
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Task.Run(() => counts.TryWriteAsync(Json($"{{\"threads\":{{\"/t/\":{i + 1}}}}}"), read.ETag, default))));
        Assert.Equal(1, results.Count(r => r));
    }

    [Fact]
    public async Task A_read_with_the_current_etag_comes_without_a_body()
    {
        var counts = await CreateAsync();
        await counts.TryWriteAsync(Json("{\"threads\":{\"/a/\":1}}"), null, default);
        var read = (await counts.ReadAsync(null, default))!;
        var again = (await counts.ReadAsync(read.ETag, default))!;
        Assert.Empty(again.Json);
        Assert.Equal(read.ETag, again.ETag);
        Assert.NotEmpty((await counts.ReadAsync("\"other\"", default))!.Json);
    }
}

public sealed class InMemorySiteCountsContract : SiteCountsContract
{
    protected override Task<ISiteCounts> CreateAsync() => Task.FromResult<ISiteCounts>(new InMemorySiteCounts());
}

[Collection(AzureContracts.Name)]
public sealed class BlobSiteCountsContract(AzuriteFixture azurite) : SiteCountsContract
{
    protected override Task<ISiteCounts> CreateAsync()
    {
        var storage = new AzureTestStorage(azurite);
        // No container yet: the adapter creates it on its first write, as on a fresh account.
        return Task.FromResult<ISiteCounts>(new BlobSiteCounts(storage.Blobs, Options.Create(storage.Names)));
    }

    [Fact]
    public async Task Two_instances_recounting_many_threads_at_once_over_real_storage_end_with_every_threads_latest_count()
    {
        var storage = new AzureTestStorage(azurite);
        var table = await storage.TableAsync();
        var views = new BlobThreadViews(storage.Blobs, table, Options.Create(storage.Names));
        var document = new BlobSiteCounts(storage.Blobs, Options.Create(storage.Names));
        var clock = new FakeTimeProvider();
        var instances = Enumerable.Range(0, 2)
            .Select(_ => new SiteCounts(document, views, Options.Create(new ThreadOptions()), clock, NullLogger<SiteCounts>.Instance)).ToArray();
        var threads = Enumerable.Range(0, 4).Select(t => $"/t{t}/").ToList();

        await Task.WhenAll(Enumerable.Range(0, 48).Select(i => Task.Run(async () =>
        {
            var thread = threads[i % threads.Count];
            var key = ThreadKey.For(thread);
            while (true) // one more comment in the thread's state, committed as the updater does
            {
                var state = await views.GetStateAsync(key, default);
                var next = new ViewState((state?.Sequence ?? 0) + 1, (state?.Count ?? 0) + 1, [], new Dictionary<string, string>());
                if (await views.TryCommitAsync(key, thread, state, next, default))
                    break;
            }
            Assert.True(await instances[i % 2].TryRecountAsync(thread, default));
        })));

        var stored = SiteCountsDocument.Parse((await document.ReadAsync(null, default))!.Json).Threads;
        Assert.Equal(threads.ToDictionary(t => t, _ => 12), stored.ToDictionary());
    }

    [Fact]
    public async Task The_blob_is_counts_json_beside_the_views_as_json_with_the_pages_cache_lifetime()
    {
        var storage = new AzureTestStorage(azurite);
        var counts = new BlobSiteCounts(storage.Blobs, Options.Create(storage.Names));
        Assert.True(await counts.TryWriteAsync("{\"threads\":{}}"u8.ToArray(), null, default));
        var blob = storage.Blobs.GetBlobContainerClient(storage.Names.ThreadContainer).GetBlobClient("counts.json");
        var properties = (await blob.GetPropertiesAsync()).Value;
        Assert.Equal("application/json", properties.ContentType);
        Assert.Equal(ThreadReading.CacheControl, properties.CacheControl);
    }
}
