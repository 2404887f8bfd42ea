using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServerlessComments.Accepting;
using ServerlessComments.Comments;
using ServerlessComments.Reactions;
using ServerlessComments.Threads;

namespace ServerlessComments.Tests.Core;

/// <summary>Likes, page reactions and pins over the core's in-memory ports: one per reader per
/// target, exact counts under concurrency, a flood guard per IP, and never a view rebuilt.</summary>
public class ReactionTests
{
    private const string Reader = "0123456789abcdef0123456789abcdef";
    private static string ReaderNo(int i) => i.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);

    private sealed class World
    {
        public readonly CoreWorld Core = new();
        public readonly InMemoryReactionStore Reactions = new();
        public ReactionOptions Settings { get; } = new() { FloodMilliseconds = 0 };
        public ReactionTallies Tallies { get; }

        public World() => Tallies = new ReactionTallies(Reactions, Core.Views);

        /// <summary>One host's service; another <see cref="ReactionTallies"/> is another instance.</summary>
        public ReaderReactions Service(ReactionTallies? tallies = null) => new(Core.Store, Reactions, tallies ?? Tallies, Core.Guards,
            new GuardKeys(Options.Create(Core.NotificationSettings)), Options.Create(Settings), Core.Clock, NullLogger<ReaderReactions>.Instance);

        public Pinning Pinning => new(Core.Store, Tallies);

        public async Task<StoredComment> PublishAsync(string thread, int minute, string? parentId = null, CommentStatus status = CommentStatus.Published)
        {
            var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(minute);
            var comment = new StoredComment
            {
                Id = CommentId.New(at), Thread = thread, ParentId = parentId, Author = "author " + minute, Email = $"a{minute}@example.com",
                Body = "text " + minute, CreatedAt = at, Status = status,
            };
            await Core.Store.AddOnceAsync(comment, default);
            return comment;
        }

        public async Task<JsonElement> DocumentAsync(string thread) =>
            JsonDocument.Parse((await Service().CountsAsync(thread, null, default)).Json).RootElement;
    }

    private static int Count(ReactOutcome outcome) => Assert.IsType<ReactOutcome.Counted>(outcome).Count;

    [Fact]
    public async Task A_reader_likes_once_however_often_they_send_it_and_can_take_it_back()
    {
        var world = new World();
        var comment = await world.PublishAsync("/t/", 1);
        var service = world.Service();

        Assert.Equal(1, Count(await service.ReactAsync(new Reaction("/t/", comment.Id, null, Reader), true, "192.0.2.1", default)));
        Assert.Equal(1, Count(await service.ReactAsync(new Reaction("/t/", comment.Id, null, Reader), true, "192.0.2.1", default)));
        Assert.Equal(2, Count(await service.ReactAsync(new Reaction("/t/", comment.Id, null, ReaderNo(2)), true, "192.0.2.2", default)));
        Assert.Equal(2, (await world.DocumentAsync("/t/")).GetProperty("likes").GetProperty(comment.Id).GetInt32());

        Assert.Equal(1, Count(await service.ReactAsync(new Reaction("/t/", comment.Id, null, Reader), false, "192.0.2.1", default)));
        Assert.Equal(1, Count(await service.ReactAsync(new Reaction("/t/", comment.Id, null, Reader), false, "192.0.2.1", default)));
        Assert.Equal(1, (await world.DocumentAsync("/t/")).GetProperty("likes").GetProperty(comment.Id).GetInt32());
    }

    [Fact]
    public async Task Page_reactions_are_counted_per_emoji()
    {
        var world = new World();
        var service = world.Service();
        Assert.Equal(1, Count(await service.ReactAsync(new Reaction("/t/", null, "👍", Reader), true, null, default)));
        Assert.Equal(2, Count(await service.ReactAsync(new Reaction("/t/", null, "👍", ReaderNo(2)), true, null, default)));
        Assert.Equal(1, Count(await service.ReactAsync(new Reaction("/t/", null, "❤️", Reader), true, null, default)));
        var page = (await world.DocumentAsync("/t/")).GetProperty("page");
        Assert.Equal(2, page.GetProperty("👍").GetInt32());
        Assert.Equal(1, page.GetProperty("❤️").GetInt32());
    }

    [Fact]
    public async Task Bad_input_names_its_field_and_changes_nothing()
    {
        var world = new World();
        var comment = await world.PublishAsync("/t/", 1);
        var held = await world.PublishAsync("/t/", 2, status: CommentStatus.Pending);
        var service = world.Service();

        async Task<string> FieldOf(Reaction r)
        {
            var outcome = await service.ReactAsync(r, true, null, default);
            return outcome switch
            {
                ReactOutcome.Invalid i => i.Field,
                ReactOutcome.NotFound n => "404 " + n.Field,
                _ => outcome.ToString(),
            };
        }

        Assert.Equal("reader", await FieldOf(new Reaction("/t/", comment.Id, null, "short")));
        Assert.Equal("reader", await FieldOf(new Reaction("/t/", comment.Id, null, Reader + "<script>")));
        Assert.Equal("reader", await FieldOf(new Reaction("/t/", comment.Id, null, null)));
        Assert.Equal("thread", await FieldOf(new Reaction("", comment.Id, null, Reader)));
        Assert.Equal("comment", await FieldOf(new Reaction("/t/", comment.Id, "👍", Reader)));
        Assert.Equal("comment", await FieldOf(new Reaction("/t/", null, null, Reader)));
        Assert.Equal("comment", await FieldOf(new Reaction("/t/", "not-an-id", null, Reader)));
        Assert.Equal("emoji", await FieldOf(new Reaction("/t/", null, "💩", Reader)));
        Assert.Equal("404 comment", await FieldOf(new Reaction("/t/", held.Id, null, Reader)));
        Assert.Equal("404 comment", await FieldOf(new Reaction("/other/", comment.Id, null, Reader)));
        Assert.Equal(0, world.Reactions.Commits);

        world.Settings.Enabled = false;
        Assert.IsType<ReactOutcome.Off>(await service.ReactAsync(new Reaction("/t/", comment.Id, null, Reader), true, null, default));
        Assert.Equal(0, world.Reactions.Commits);
    }

    [Fact]
    public async Task One_network_reacts_once_per_window()
    {
        var world = new World();
        world.Settings.FloodMilliseconds = 2000;
        var comment = await world.PublishAsync("/t/", 1);
        var service = world.Service();

        Assert.Equal(1, Count(await service.ReactAsync(new Reaction("/t/", comment.Id, null, ReaderNo(1)), true, "192.0.2.1", default)));
        var tooFast = Assert.IsType<ReactOutcome.TooFast>(await service.ReactAsync(new Reaction("/t/", comment.Id, null, ReaderNo(2)), true, "192.0.2.1", default));
        Assert.Equal(2, tooFast.Seconds);
        // An IPv6 subscriber's /64 is one network.
        Assert.Equal(2, Count(await service.ReactAsync(new Reaction("/t/", comment.Id, null, ReaderNo(3)), true, "2001:db8::1", default)));
        Assert.IsType<ReactOutcome.TooFast>(await service.ReactAsync(new Reaction("/t/", comment.Id, null, ReaderNo(4)), true, "2001:db8::2", default));
        world.Core.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(3, Count(await service.ReactAsync(new Reaction("/t/", comment.Id, null, ReaderNo(2)), true, "192.0.2.1", default)));
    }

    [Fact]
    public async Task A_like_never_touches_the_threads_view()
    {
        var world = new World();
        var comments = new List<StoredComment>();
        for (var i = 0; i < 120; i++)
            comments.Add(await world.PublishAsync("/t/", i));
        await world.Core.Updater.RefreshAsync("/t/", default);
        var key = ThreadKey.For("/t/");
        var state = await world.Core.Views.GetStateAsync(key, default);
        var oldest = (await world.Core.Views.ReadFirstPageAsync(key, ThreadOrder.Oldest, null, default))!.ETag;
        var (commits, chunkWrites) = (world.Core.Views.Commits, world.Core.Views.ChunkWrites);
        world.Core.Store.PublishedReads = 0;

        for (var i = 0; i < 20; i++)
            Count(await world.Service().ReactAsync(new Reaction("/t/", comments[i].Id, null, Reader), true, null, default));

        Assert.Equal(state!.Sequence, (await world.Core.Views.GetStateAsync(key, default))!.Sequence);
        Assert.Equal(oldest, (await world.Core.Views.ReadFirstPageAsync(key, ThreadOrder.Oldest, null, default))!.ETag);
        Assert.Equal((commits, chunkWrites), (world.Core.Views.Commits, world.Core.Views.ChunkWrites));
        Assert.Equal(0, world.Core.Store.PublishedReads); // the thread's comments are never listed
        Assert.Equal(20, (await world.DocumentAsync("/t/")).GetProperty("likes").EnumerateObject().Count());
    }

    [Fact]
    public async Task A_storm_of_likes_on_two_instances_at_once_counts_every_reader_exactly_once()
    {
        var world = new World();
        var comment = await world.PublishAsync("/t/", 1);
        ReaderReactions[] instances = [world.Service(), world.Service(new ReactionTallies(world.Reactions, world.Core.Views))];

        // 1,000 readers, and 200 of them sending their like twice (a retry).
        var likes = Enumerable.Range(0, 1000).Concat(Enumerable.Range(0, 200)).Select(i => Task.Run(() =>
            instances[i % 2].ReactAsync(new Reaction("/t/", comment.Id, null, ReaderNo(i)), true, null, default)));
        var outcomes = await Task.WhenAll(likes);

        Assert.All(outcomes, o => Assert.IsType<ReactOutcome.Counted>(o));
        Assert.Equal(1000, (await world.DocumentAsync("/t/")).GetProperty("likes").GetProperty(comment.Id).GetInt32());
        Assert.True(world.Reactions.Commits < 1200, $"{world.Reactions.Commits} commits for 1,200 likes: recounts should be shared");
    }

    [Fact]
    public async Task The_owner_pins_a_published_top_level_comment_and_unpins_it()
    {
        var world = new World();
        var first = await world.PublishAsync("/t/", 1);
        var second = await world.PublishAsync("/t/", 2);
        var reply = await world.PublishAsync("/t/", 3, parentId: first.Id);
        var held = await world.PublishAsync("/t/", 4, status: CommentStatus.Pending);

        Assert.Equal(PinOutcome.Done, await world.Pinning.PinAsync(second.Id, true, default));
        Assert.Equal(second.Id, (await world.DocumentAsync("/t/")).GetProperty("pinned").GetString());
        Assert.Equal(PinOutcome.NotTopLevel, await world.Pinning.PinAsync(reply.Id, true, default));
        Assert.Equal(PinOutcome.NotFound, await world.Pinning.PinAsync(held.Id, true, default));
        Assert.Equal(PinOutcome.NotFound, await world.Pinning.PinAsync(CommentId.New(DateTimeOffset.UtcNow), true, default));
        Assert.Equal(second.Id, (await world.DocumentAsync("/t/")).GetProperty("pinned").GetString());

        // Another pin replaces it; unpinning a comment that is not the pinned one leaves the pin.
        Assert.Equal(PinOutcome.Done, await world.Pinning.PinAsync(first.Id, true, default));
        Assert.Equal(PinOutcome.Done, await world.Pinning.PinAsync(second.Id, false, default));
        Assert.Equal(first.Id, (await world.DocumentAsync("/t/")).GetProperty("pinned").GetString());
        // Likes and the pin live together: a like keeps the pin, unpinning keeps the likes.
        Count(await world.Service().ReactAsync(new Reaction("/t/", second.Id, null, Reader), true, null, default));
        Assert.Equal(PinOutcome.Done, await world.Pinning.PinAsync(first.Id, false, default));
        var document = await world.DocumentAsync("/t/");
        Assert.Equal(JsonValueKind.Null, document.GetProperty("pinned").ValueKind);
        Assert.Equal(1, document.GetProperty("likes").GetProperty(second.Id).GetInt32());
    }

    [Theory]
    [InlineData("👍 ❤️ 😂 😮 😢", true)]
    [InlineData("", true)]
    [InlineData("👍 👍", false)]
    [InlineData("ab", false)]
    [InlineData("👍|", false)]
    [InlineData("👍👍", false)]
    public void The_page_emoji_setting_is_checked(string emoji, bool valid) =>
        Assert.Equal(valid, new ReactionOptions { PageEmoji = emoji }.IsValid());
}
