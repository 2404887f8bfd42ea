using System.Text.Json;
using ServerlessComments.Comments;
using ServerlessComments.Threads;

namespace ServerlessComments.Tests.Core;

/// <summary>The thread read model: kept ready as comments change, read in one call, paged,
/// and never left stale by two writers at once.</summary>
public class ThreadViewTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static StoredComment Published(string thread, int minute, string? parentId = null, string? id = null) => new()
    {
        Id = id ?? CommentId.New(T0.AddMinutes(minute)), Thread = thread, ParentId = parentId, Author = "author " + minute,
        Email = $"a{minute}@example.com", Body = "text " + minute, CreatedAt = T0.AddMinutes(minute), Status = CommentStatus.Published,
    };

    private static JsonElement Json(ViewDocument page) => JsonDocument.Parse(page.Json).RootElement;

    private static List<string> Bodies(JsonElement page) =>
        page.GetProperty("comments").EnumerateArray().Select(c => c.GetProperty("body").GetString()!).ToList();

    [Fact]
    public async Task A_page_view_is_one_read_of_a_stored_answer()
    {
        var world = new CoreWorld();
        for (var i = 0; i < 5; i++)
            await world.Store.AddOnceAsync(Published("/t/", i), default);
        await world.Updater.RefreshAsync("/t/", default);

        world.Views.Reads = 0;
        world.Store.PublishedReads = 0;
        var page = Json(await world.Reading.ReadAsync("/t/", ThreadOrder.Oldest, null, null, default));

        Assert.Equal(1, world.Views.Reads);
        Assert.Equal(0, world.Store.PublishedReads); // no comment row is read, no tree is built
        Assert.Equal(5, page.GetProperty("count").GetInt32());
        Assert.Equal("/t/", page.GetProperty("thread").GetString());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task The_owners_reply_carries_byOwner_and_no_other_comment_does()
    {
        var world = new CoreWorld();
        var first = Published("/t/", 1);
        await world.Store.AddOnceAsync(first, default);
        await world.Store.AddOnceAsync(Published("/t/", 2, parentId: first.Id) with { ByOwner = true }, default);
        await world.Updater.RefreshAsync("/t/", default);

        var root = Json(await world.Reading.ReadAsync("/t/", ThreadOrder.Oldest, null, null, default)).GetProperty("comments")[0];
        Assert.False(root.TryGetProperty("byOwner", out _));
        Assert.True(root.GetProperty("replies")[0].GetProperty("byOwner").GetBoolean());
    }

    [Fact]
    public async Task A_thread_without_a_view_reads_as_empty()
    {
        var page = Json(await new CoreWorld().Reading.ReadAsync("/nothing/", ThreadOrder.Newest, null, null, default));
        Assert.Equal(0, page.GetProperty("count").GetInt32());
        Assert.Empty(page.GetProperty("comments").EnumerateArray());
    }

    [Fact]
    public async Task An_unchanged_etag_reads_no_body()
    {
        var world = new CoreWorld();
        await world.Store.AddOnceAsync(Published("/t/", 1), default);
        await world.Updater.RefreshAsync("/t/", default);
        var first = await world.Reading.ReadAsync("/t/", ThreadOrder.Oldest, null, null, default);
        var again = await world.Reading.ReadAsync("/t/", ThreadOrder.Oldest, null, first.ETag, default);
        Assert.Empty(again.Json);
        Assert.Equal(first.ETag, again.ETag);
    }

    [Theory]
    [InlineData(ThreadOrder.Oldest)]
    [InlineData(ThreadOrder.Newest)]
    public async Task Top_level_comments_come_in_pages_with_their_replies_and_a_cursor(string order)
    {
        var world = new CoreWorld();
        world.ThreadSettings.PageSize = 5;
        var roots = new List<StoredComment>();
        for (var i = 0; i < 12; i++)
        {
            var root = Published("/big/", i * 10);
            roots.Add(root);
            await world.Store.AddOnceAsync(root, default);
            await world.Store.AddOnceAsync(Published("/big/", i * 10 + 1, root.Id), default);
        }
        await world.Updater.RefreshAsync("/big/", default);

        var seen = new List<string>();
        PageCursor? after = null;
        var pages = 0;
        do
        {
            var page = Json(await world.Reading.ReadAsync("/big/", order, after, null, default));
            Assert.Equal(24, page.GetProperty("count").GetInt32());
            Assert.Equal(order, page.GetProperty("order").GetString());
            foreach (var comment in page.GetProperty("comments").EnumerateArray())
            {
                seen.Add(comment.GetProperty("id").GetString()!);
                Assert.Single(comment.GetProperty("replies").EnumerateArray()); // whole subtree with its root
            }
            after = page.GetProperty("next").GetString() is { } next ? PageCursor.Parse(next) : null;
            pages++;
        }
        while (after is not null);

        Assert.Equal(3, pages); // 5 + 5 + 2
        var expected = roots.Select(r => r.Id).ToList();
        if (order == ThreadOrder.Newest)
            expected.Reverse();
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task A_comment_added_changes_only_what_it_touches()
    {
        var world = new CoreWorld();
        world.ThreadSettings.PageSize = 5;
        for (var i = 0; i < 20; i++)
            await world.Store.AddOnceAsync(Published("/t/", i), default);
        await world.Updater.RefreshAsync("/t/", default);
        world.Views.ChunkWrites = 0;

        await world.Store.AddOnceAsync(Published("/t/", 100), default);
        await world.Updater.RefreshAsync("/t/", default);
        Assert.Equal(1, world.Views.ChunkWrites); // the last chunk only

        var commits = world.Views.Commits;
        await world.Updater.RefreshAsync("/t/", default); // nothing changed
        Assert.Equal(commits, world.Views.Commits);
    }

    [Fact]
    public async Task Counts_of_any_number_of_threads_are_one_read_of_the_site_document()
    {
        var world = new CoreWorld();
        for (var t = 0; t < 20; t++)
        {
            for (var i = 0; i <= t; i++)
                await world.Store.AddOnceAsync(Published("/t" + t + "/", i), default);
            await world.Updater.RefreshAsync("/t" + t + "/", default);
        }
        world.Views.Reads = 0;
        world.CountsDocument.Reads = 0;
        var counts = await world.Reading.CountAsync(Enumerable.Range(0, 20).Select(t => "/t" + t + "/").Append("/none/").ToList(), default);
        Assert.Equal(0, world.Views.Reads);
        Assert.Equal(1, world.CountsDocument.Reads);
        Assert.Equal(Enumerable.Range(1, 20).Append(0), Enumerable.Range(0, 20).Select(t => counts["/t" + t + "/"]).Append(counts["/none/"]));
    }

    [Fact]
    public async Task Two_writers_racing_on_one_thread_leave_a_view_with_both_comments()
    {
        var world = new CoreWorld();
        await world.Store.AddOnceAsync(Published("/race/", 0), default);
        await world.Updater.RefreshAsync("/race/", default);

        // A reads the view's state and the comments, then stalls; meanwhile B's comment is
        // stored and B updates the view. A then tries to write a view that lacks B's comment:
        // its write must fail, and A must read again.
        var aRead = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var calls = 0;
        world.Store.AfterPublishedRead = async () =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                aRead.SetResult();
                await release.Task;
            }
        };
        var commentA = Published("/race/", 1);
        await world.Store.AddOnceAsync(commentA, default);
        var writerA = world.Updater.RefreshAsync("/race/", default);
        await aRead.Task;

        // While A is stalled: B sees A's comment and its own, and writes first.
        var commentB = Published("/race/", 2);
        await world.Store.AddOnceAsync(commentB, default);
        await world.Updater.RefreshAsync("/race/", default);
        // A comment that only A's retry can see: stored after B wrote.
        var commentC = Published("/race/", 3);
        await world.Store.AddOnceAsync(commentC, default);
        release.SetResult();
        Assert.Equal(4, await writerA);

        var page = Json(await world.Reading.ReadAsync("/race/", ThreadOrder.Oldest, null, null, default));
        Assert.Equal(4, page.GetProperty("count").GetInt32());
        Assert.Equal(["text 0", "text 1", "text 2", "text 3"], Bodies(page));
        Assert.True(calls >= 3, "writer A should have read the comments again after losing the race");
    }

    [Fact]
    public async Task Many_concurrent_writers_converge_on_every_comment()
    {
        var world = new CoreWorld();
        var writers = Enumerable.Range(0, 40).Select(async i =>
        {
            await world.Store.AddOnceAsync(Published("/many/", i), default);
            await world.Updater.RefreshAsync("/many/", default);
        });
        await Task.WhenAll(writers);
        var page = Json(await world.Reading.ReadAsync("/many/", ThreadOrder.Oldest, null, null, default));
        Assert.Equal(40, page.GetProperty("count").GetInt32());
        Assert.Equal(40, page.GetProperty("comments").GetArrayLength());
    }

    [Fact]
    public async Task One_instance_coalesces_a_burst_of_refreshes_and_each_caller_sees_its_own_change()
    {
        var world = new CoreWorld();
        var updater = world.Updater; // one instance, as a host has
        var slow = new TaskCompletionSource();
        world.Store.AfterPublishedRead = () => slow.Task;
        var first = updater.RefreshAsync("/burst/", default);
        var callers = new List<Task<int>>();
        for (var i = 0; i < 40; i++)
        {
            await world.Store.AddOnceAsync(Published("/burst/", i), default);
            callers.Add(updater.RefreshAsync("/burst/", default));
        }
        slow.SetResult();
        await first;
        var counts = await Task.WhenAll(callers);

        Assert.All(counts, c => Assert.Equal(40, c)); // every caller's comment is in the view it waited for
        // The running refresh, and one for all forty callers; or only the first, when it had not
        // yet started when they joined it (it then reads after every one of their changes).
        Assert.InRange(world.Store.PublishedReads, 1, 2);
        var page = Json(await world.Reading.ReadAsync("/burst/", ThreadOrder.Oldest, null, null, default));
        Assert.Equal(40, page.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task The_first_page_of_a_ten_thousand_comment_thread_is_one_read_of_one_page()
    {
        var world = new CoreWorld();
        for (var i = 0; i < 10_000; i++)
            await world.Store.AddOnceAsync(Published("/huge/", i), default);
        await world.Updater.RefreshAsync("/huge/", default);
        world.Views.Reads = 0;
        var first = await world.Reading.ReadAsync("/huge/", ThreadOrder.Newest, null, null, default);
        Assert.Equal(1, world.Views.Reads);
        var page = Json(first);
        Assert.Equal(10_000, page.GetProperty("count").GetInt32());
        Assert.Equal(50, page.GetProperty("comments").GetArrayLength());
        Assert.Equal("text 9999", Bodies(page)[0]);
        Assert.True(first.Json.Length < 20_000, $"the first page is {first.Json.Length} bytes");
    }

    [Fact]
    public void A_cursor_from_elsewhere_is_refused()
    {
        Assert.Null(PageCursor.Parse("not-a-cursor"));
        Assert.Null(PageCursor.Parse(new PageCursor("sideways", "0638712345678901234abc").ToString()));
        var good = new PageCursor(ThreadOrder.Oldest, "0638712345678901234" + new string('a', 32));
        Assert.Equal(good, PageCursor.Parse(good.ToString()));
    }
}
