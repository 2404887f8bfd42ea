using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServerlessComments.Comments;
using ServerlessComments.PersonalData;
using ServerlessComments.Threads;

namespace ServerlessComments.Tests.Core;

/// <summary>The site's counts document: kept by the view updater, read once and kept a moment,
/// never stepping a count back when two instances write at once.</summary>
public class SiteCountsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static StoredComment Published(string thread, int minute) => new()
    {
        Id = CommentId.New(T0.AddMinutes(minute)), Thread = thread, Author = "author " + minute,
        Email = $"a{minute}@example.com", Body = "text " + minute, CreatedAt = T0.AddMinutes(minute), Status = CommentStatus.Published,
    };

    private static Dictionary<string, int> Stored(InMemorySiteCounts document) =>
        JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, int>>>(document.Json!)!["threads"];

    private static ViewState State(long sequence, int count) => new(sequence, count, [], new Dictionary<string, string>());

    /// <summary>Another instance: its own coalescing and memory, the same storage.</summary>
    private static SiteCounts Instance(InMemorySiteCounts document, IThreadViews views, FakeTimeProvider clock) =>
        new(document, views, Options.Create(new ThreadOptions()), clock, NullLogger<SiteCounts>.Instance);

    [Fact]
    public async Task The_document_holds_each_thread_with_published_comments_and_its_count_and_nothing_else()
    {
        var world = new CoreWorld();
        world.ModerationSettings.Mode = "all"; // held, so not counted
        await world.PostAsync(CoreWorld.Form("/held/", "En attente"));
        world.ModerationSettings.Mode = "none";
        await world.PostAsync(CoreWorld.Form("/a/", "Un", email: "one@example.com"));
        await world.PostAsync(CoreWorld.Form("/a/", "Deux", author: "Bob", email: "two@example.com"));
        await world.PostAsync(CoreWorld.Form("/b/«é»/", "Trois"));

        var json = Encoding.UTF8.GetString(world.CountsDocument.Json!);
        Assert.Equal("{\"threads\":{\"/a/\":2,\"/b/\\u00ABé\\u00BB/\":1}}".Replace("é", "\\u00E9"), json);
        Assert.DoesNotContain("example.com", json);
    }

    [Fact]
    public async Task Counts_are_kept_in_memory_for_the_set_time_then_read_again_conditionally()
    {
        var world = new CoreWorld();
        await world.PostAsync(CoreWorld.Form("/a/"));
        world.CountsDocument.Reads = 0;

        for (var i = 0; i < 5; i++)
            Assert.Equal(1, (await world.Reading.CountAsync(["/a/"], default))["/a/"]);
        Assert.Equal(1, world.CountsDocument.Reads);

        // Another instance changes the document: this one sees it once its copy is a second old.
        var other = Instance(world.CountsDocument, world.Views, world.Clock);
        await world.Store.AddOnceAsync(Published("/a/", 5), default);
        var state = await world.Views.GetStateAsync(ThreadKey.For("/a/"), default);
        await world.Views.TryCommitAsync(ThreadKey.For("/a/"), "/a/", state, State(state!.Sequence + 1, 2), default);
        Assert.True(await other.TryRecountAsync("/a/", default));
        world.Clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(1, (await world.Reading.CountAsync(["/a/"], default))["/a/"]);
        world.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, (await world.Reading.CountAsync(["/a/"], default))["/a/"]);
        Assert.Equal(3, world.CountsDocument.Reads); // here, the other instance's write, here again
    }

    [Fact]
    public async Task An_erased_comment_lowers_its_threads_count_and_a_thread_left_empty_leaves_the_document()
    {
        var world = new CoreWorld();
        await world.PostAsync(CoreWorld.Form("/e/", "Premier", author: "Erin", email: "erin@example.com"));
        await world.PostAsync(CoreWorld.Form("/e/", "Second", author: "Ann", email: "ann@example.com"));
        await world.PostAsync(CoreWorld.Form("/gone/", "Seul", author: "Erin", email: "erin@example.com"));
        Assert.Equal(new Dictionary<string, int> { ["/e/"] = 2, ["/gone/"] = 1 }, Stored(world.CountsDocument));

        await world.PersonalData.EraseAsync("erin@example.com", EraseMode.Delete, keepText: false, "en", default);

        Assert.Equal(new Dictionary<string, int> { ["/e/"] = 1 }, Stored(world.CountsDocument));
        var counts = await world.Reading.CountAsync(["/e/", "/gone/"], default);
        Assert.Equal(1, counts["/e/"]);
        Assert.Equal(0, counts["/gone/"]);
    }

    [Fact]
    public async Task A_count_read_before_another_instances_newer_one_never_overwrites_it()
    {
        var views = new InMemoryThreadViews();
        var document = new InMemorySiteCounts();
        var clock = new FakeTimeProvider(T0);
        var (a, b) = (Instance(document, views, clock), Instance(document, views, clock));
        var key = ThreadKey.For("/t/");
        await views.TryCommitAsync(key, "/t/", null, State(1, 1), default);

        // A has read the document and the count 1; before it writes, B commits 2 and writes it.
        document.BeforeWrite = async () =>
        {
            document.BeforeWrite = null;
            await views.TryCommitAsync(key, "/t/", await views.GetStateAsync(key, default), State(2, 2), default);
            Assert.True(await b.TryRecountAsync("/t/", default));
        };
        Assert.True(await a.TryRecountAsync("/t/", default));

        Assert.Equal(2, Stored(document)["/t/"]);
        Assert.Equal(2, (await a.ReadAsync(default))["/t/"]);
    }

    [Fact]
    public async Task Two_instances_recounting_many_threads_at_once_end_with_every_threads_latest_count()
    {
        var views = new InMemoryThreadViews();
        var document = new InMemorySiteCounts();
        var clock = new FakeTimeProvider(T0);
        var instances = new[] { Instance(document, views, clock), Instance(document, views, clock) };
        var threads = Enumerable.Range(0, 8).Select(t => $"/t{t}/").ToList();

        await Task.WhenAll(Enumerable.Range(0, 160).Select(i => Task.Run(async () =>
        {
            var thread = threads[i % threads.Count];
            var key = ThreadKey.For(thread);
            // Commit one more comment to the thread's state (optimistically, as the updater does), then recount.
            while (true)
            {
                var state = await views.GetStateAsync(key, default);
                if (await views.TryCommitAsync(key, thread, state, State((state?.Sequence ?? 0) + 1, (state?.Count ?? 0) + 1), default))
                    break;
            }
            Assert.True(await instances[i % 2].TryRecountAsync(thread, default));
        })));

        Assert.Equal(threads.ToDictionary(t => t, _ => 20), Stored(document));
    }

    [Fact]
    public async Task A_burst_of_recounts_in_one_instance_costs_two_writes()
    {
        var views = new InMemoryThreadViews();
        var document = new InMemorySiteCounts();
        var counts = Instance(document, views, new FakeTimeProvider(T0));
        for (var t = 0; t < 40; t++)
            await views.TryCommitAsync(ThreadKey.For($"/t{t}/"), $"/t{t}/", null, State(1, t + 1), default);

        var slow = new TaskCompletionSource();
        var writing = new TaskCompletionSource();
        document.BeforeWrite = () =>
        {
            writing.TrySetResult();
            return slow.Task;
        };
        var first = counts.TryRecountAsync("/t0/", default);
        await writing.Task;
        var burst = Enumerable.Range(1, 39).Select(t => counts.TryRecountAsync($"/t{t}/", default)).ToList();
        document.BeforeWrite = null;
        slow.SetResult();
        Assert.True(await first);
        Assert.All(await Task.WhenAll(burst), Assert.True);

        Assert.Equal(2, document.Writes); // the running write, and one for the thirty-nine behind it
        Assert.Equal(Enumerable.Range(0, 40).ToDictionary(t => $"/t{t}/", t => t + 1), Stored(document));
    }

    [Fact]
    public async Task A_failed_write_is_logged_not_thrown_and_its_thread_goes_with_the_next_write()
    {
        var views = new InMemoryThreadViews();
        var document = new InMemorySiteCounts();
        var counts = Instance(document, views, new FakeTimeProvider(T0));
        await views.TryCommitAsync(ThreadKey.For("/a/"), "/a/", null, State(1, 3), default);
        await views.TryCommitAsync(ThreadKey.For("/b/"), "/b/", null, State(1, 4), default);

        document.BeforeWrite = () => throw new IOException("storage is down");
        Assert.False(await counts.TryRecountAsync("/a/", default));
        Assert.Null(document.Json);

        document.BeforeWrite = null;
        Assert.True(await counts.TryRecountAsync("/b/", default));
        Assert.Equal(new Dictionary<string, int> { ["/a/"] = 3, ["/b/"] = 4 }, Stored(document));
    }
}
