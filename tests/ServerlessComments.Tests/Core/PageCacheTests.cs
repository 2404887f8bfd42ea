using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServerlessComments.Comments;
using ServerlessComments.Threads;

namespace ServerlessComments.Tests.Core;

/// <summary>Each instance's memory of the first pages it serves: served from memory, checked with
/// a conditional read at most every set time, bounded, and current at once on the instance that publishes.</summary>
public class PageCacheTests
{
    private static readonly string Key = ThreadKey.For("/hot/");
    private readonly InMemoryThreadViews _storage = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private CachedThreadViews Instance(int megabytes = 32, int revalidateMs = 1000) =>
        new(_storage, Options.Create(new ThreadOptions { PageCacheMegabytes = megabytes, PageRevalidateMilliseconds = revalidateMs }), _clock);

    private static ViewDocument Page(string text) => ViewDocument.Of(Encoding.UTF8.GetBytes(text));

    private static async Task<string?> TextAsync(IThreadViews views) =>
        await views.ReadFirstPageAsync(Key, ThreadOrder.Oldest, null, default) is { } page ? Encoding.UTF8.GetString(page.Json) : null;

    [Fact]
    public async Task Views_within_the_set_time_are_served_from_memory_then_one_conditional_read_checks_the_page()
    {
        await _storage.PublishFirstPageAsync(Key, ThreadOrder.Oldest, 1, Page("one"), default);
        using var cache = Instance();
        _storage.Reads = 0;
        for (var i = 0; i < 10; i++)
            Assert.Equal("one", await TextAsync(cache));
        Assert.Equal(1, _storage.Reads);

        _clock.Advance(TimeSpan.FromMilliseconds(1000));
        Assert.Equal("one", await TextAsync(cache)); // unchanged: the conditional read came without a body
        Assert.Equal(2, _storage.Reads);
        Assert.Equal("one", await TextAsync(cache));
        Assert.Equal(2, _storage.Reads);
    }

    [Fact]
    public async Task A_page_another_instance_publishes_shows_here_once_the_set_time_has_passed()
    {
        await _storage.PublishFirstPageAsync(Key, ThreadOrder.Oldest, 1, Page("one"), default);
        using var here = Instance();
        using var there = Instance();
        Assert.Equal("one", await TextAsync(here));

        await there.PublishFirstPageAsync(Key, ThreadOrder.Oldest, 2, Page("two"), default);
        _clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal("one", await TextAsync(here));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("two", await TextAsync(here));
    }

    [Fact]
    public async Task The_instance_that_publishes_a_page_serves_it_at_once()
    {
        await _storage.PublishFirstPageAsync(Key, ThreadOrder.Oldest, 1, Page("one"), default);
        using var cache = Instance();
        Assert.Equal("one", await TextAsync(cache));

        await cache.PublishFirstPageAsync(Key, ThreadOrder.Oldest, 2, Page("two"), default);
        Assert.Equal("two", await TextAsync(cache));
        // A page older than the stored one is not what it serves: the stored page is.
        await cache.PublishFirstPageAsync(Key, ThreadOrder.Oldest, 1, Page("stale"), default);
        Assert.Equal("two", await TextAsync(cache));
    }

    [Fact]
    public async Task A_thread_without_a_page_is_remembered_too_until_this_instance_publishes_one()
    {
        using var cache = Instance();
        _storage.Reads = 0;
        Assert.Null(await TextAsync(cache));
        Assert.Null(await TextAsync(cache));
        Assert.Equal(1, _storage.Reads);
        await cache.PublishFirstPageAsync(Key, ThreadOrder.Oldest, 1, Page("first"), default);
        Assert.Equal("first", await TextAsync(cache));
    }

    [Fact]
    public async Task A_view_with_the_pages_etag_gets_no_body_and_the_etag_is_the_stored_pages()
    {
        await _storage.PublishFirstPageAsync(Key, ThreadOrder.Oldest, 1, Page("one"), default);
        using var cache = Instance();
        var page = (await cache.ReadFirstPageAsync(Key, ThreadOrder.Oldest, null, default))!;
        Assert.Equal((await _storage.ReadFirstPageAsync(Key, ThreadOrder.Oldest, null, default))!.ETag, page.ETag);
        Assert.Empty((await cache.ReadFirstPageAsync(Key, ThreadOrder.Oldest, page.ETag, default))!.Json);
        Assert.Equal("one", Encoding.UTF8.GetString((await cache.ReadFirstPageAsync(Key, ThreadOrder.Oldest, "\"other\"", default))!.Json));
        // The empty answer did not replace the page in memory.
        Assert.Equal("one", await TextAsync(cache));
    }

    [Fact]
    public async Task Memory_is_bounded_a_page_larger_than_the_limit_is_read_from_storage_each_time()
    {
        var big = new string('x', 2 * 1024 * 1024);
        await _storage.PublishFirstPageAsync(Key, ThreadOrder.Oldest, 1, Page(big), default);
        using var cache = Instance(megabytes: 1);
        _storage.Reads = 0;
        Assert.Equal(big, await TextAsync(cache));
        Assert.Equal(big, await TextAsync(cache));
        Assert.Equal(2, _storage.Reads);
    }

    [Fact]
    public async Task With_no_memory_set_every_view_reads_storage()
    {
        await _storage.PublishFirstPageAsync(Key, ThreadOrder.Oldest, 1, Page("one"), default);
        using var cache = Instance(megabytes: 0);
        _storage.Reads = 0;
        for (var i = 0; i < 3; i++)
            Assert.Equal("one", await TextAsync(cache));
        Assert.Equal(3, _storage.Reads);
    }

    [Fact]
    public async Task Thread_reading_through_the_cache_answers_a_304_for_the_current_etag()
    {
        var world = new CoreWorld();
        await world.PostAsync(CoreWorld.Form("/hot/"));
        using var cache = new CachedThreadViews(world.Views, Options.Create(new ThreadOptions()), _clock);
        var reading = new ThreadReading(cache, world.SiteCounts, Options.Create(new ThreadOptions()));
        var page = await reading.ReadAsync("/hot/", ThreadOrder.Oldest, null, null, default);
        Assert.NotEmpty(page.Json);
        Assert.Empty((await reading.ReadAsync("/hot/", ThreadOrder.Oldest, null, page.ETag, default)).Json);
    }
}
