using ServerlessComments.Adapters.Tables;
using ServerlessComments.Comments;
using ServerlessComments.Tests.Core;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Contracts;

public abstract class CommentStoreContract
{
    protected abstract Task<ICommentStore> CreateAsync();

    private static readonly DateTimeOffset Start = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    private static int _next;

    /// <summary>A comment whose id sorts by <paramref name="at"/>, as real ids do (UUID v7).</summary>
    protected static StoredComment Comment(string thread = "/post/", CommentStatus status = CommentStatus.Published, DateTimeOffset? at = null, string body = "Bonjour",
        string email = "ann@example.com") => new()
    {
        Id = CommentId.New(at ?? Start.AddMinutes(Interlocked.Increment(ref _next))),
        Thread = thread, Author = "Ann", Email = email, Body = body, CreatedAt = at ?? Start, Status = status,
        Ip = "198.51.100.7", UserAgent = "Browser/1", Reasons = ["first"],
    };

    [Fact]
    public async Task Adding_twice_keeps_the_first_and_says_so()
    {
        var store = await CreateAsync();
        var first = Comment();
        var (stored, added) = await store.AddOnceAsync(first, default);
        Assert.True(added);
        Assert.Equal("Bonjour", stored.Body);
        var (again, addedAgain) = await store.AddOnceAsync(first with { Body = "Changed" }, default);
        Assert.False(addedAgain);
        Assert.Equal("Bonjour", again.Body);
        Assert.Equal("Bonjour", (await store.FindAsync(first.Id, default))!.Body);
    }

    [Fact]
    public async Task A_comment_is_found_by_its_id_and_in_its_thread_only()
    {
        var store = await CreateAsync();
        var c = Comment(thread: "/a/");
        await store.AddOnceAsync(c, default);
        Assert.Equal(c.Id, (await store.FindAsync(c.Id, default))?.Id);
        Assert.Equal(c.Id, (await store.GetAsync("/a/", c.Id, default))?.Id);
        Assert.Null(await store.GetAsync("/b/", c.Id, default));
        Assert.True(await store.ExistsAsync("/a/", c.Id, default));
        Assert.False(await store.ExistsAsync("/b/", c.Id, default));
        Assert.Null(await store.FindAsync(CommentId.New(Start), default));
        Assert.Null(await store.GetAsync("/a/", CommentId.New(Start), default));
    }

    [Fact]
    public async Task The_stored_comment_keeps_every_field()
    {
        var store = await CreateAsync();
        var c = Comment() with { ParentId = CommentId.New(Start), Website = "https://ann.example", PageUrl = "https://blog.example/post/", PageTitle = "Post",
            Lang = "fr", NotifyOnReply = true, ByOwner = true, EditedAt = Start.AddDays(1), Referrer = "https://ref.example/", Body = "« Très » bien 👍" };
        await store.AddOnceAsync(c, default);
        var found = (await store.FindAsync(c.Id, default))!;
        Assert.Equal(c with { Version = found.Version, Reasons = found.Reasons }, found);
        Assert.Equal(c.Reasons, found.Reasons);
    }

    [Fact]
    public async Task A_status_is_saved_on_the_version_read_and_refused_on_a_stale_one()
    {
        var store = await CreateAsync();
        var c = Comment(status: CommentStatus.Pending);
        var (stored, _) = await store.AddOnceAsync(c, default);
        var read = (await store.FindAsync(c.Id, default))!;
        var saved = await store.SaveStatusAsync(read with { Status = CommentStatus.Published, Reasons = ["approved"] }, default);
        Assert.Equal(CommentStatus.Published, (await store.FindAsync(c.Id, default))!.Status);
        Assert.NotEqual(read.Version, saved.Version);
        // The version read before the save is stale now.
        await Assert.ThrowsAsync<CommentChangedException>(() => store.SaveStatusAsync(read with { Status = CommentStatus.Spam }, default));
        // The version the save returned is current.
        await store.SaveStatusAsync(saved with { Status = CommentStatus.Spam }, default);
        Assert.Equal(CommentStatus.Spam, (await store.FindAsync(c.Id, default))!.Status);
        // A comment with no version was not read from the store: nothing to save it over.
        await Assert.ThrowsAsync<CommentChangedException>(() => store.SaveStatusAsync(stored with { Version = null, Status = CommentStatus.Pending }, default));
        Assert.Equal(CommentStatus.Spam, (await store.FindAsync(c.Id, default))!.Status);
    }

    [Fact]
    public async Task The_comment_returned_by_adding_can_be_saved()
    {
        var store = await CreateAsync();
        var (stored, _) = await store.AddOnceAsync(Comment(status: CommentStatus.Pending), default);
        await store.SaveStatusAsync(stored with { Status = CommentStatus.Published }, default);
        Assert.Equal(CommentStatus.Published, (await store.FindAsync(stored.Id, default))!.Status);
    }

    [Fact]
    public async Task Saving_a_comment_that_is_gone_is_a_change_not_a_resurrection()
    {
        var store = await CreateAsync();
        var (stored, _) = await store.AddOnceAsync(Comment(), default);
        var read = (await store.FindAsync(stored.Id, default))!;
        await store.DeleteAsync(read, default);
        await Assert.ThrowsAsync<CommentChangedException>(() => store.SaveStatusAsync(read with { Status = CommentStatus.Spam }, default));
        Assert.Null(await store.FindAsync(stored.Id, default));
    }

    [Fact]
    public async Task Two_saves_of_one_version_at_once_one_wins()
    {
        var store = await CreateAsync();
        var (c, _) = await store.AddOnceAsync(Comment(status: CommentStatus.Pending), default);
        var read = (await store.FindAsync(c.Id, default))!;
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            try
            {
                await store.SaveStatusAsync(read with { Status = i % 2 == 0 ? CommentStatus.Published : CommentStatus.Spam }, default);
                return true;
            }
            catch (CommentChangedException)
            {
                return false;
            }
        })));
        Assert.Equal(1, results.Count(r => r));
    }

    [Fact]
    public async Task Deleting_removes_it_everywhere_and_deleting_again_is_harmless()
    {
        var store = await CreateAsync();
        var (c, _) = await store.AddOnceAsync(Comment(), default);
        await store.ReindexAsync(c, default, isNew: true);
        await store.DeleteAsync(c, default);
        await store.DeleteAsync(c, default);
        Assert.Null(await store.FindAsync(c.Id, default));
        Assert.False(await store.ExistsAsync(c.Thread, c.Id, default));
        Assert.Empty((await store.ListAsync(CommentStatus.Published, null, null, 10, default)).Comments);
        Assert.Empty((await store.ListAsync(CommentStatus.Published, c.Thread, null, 10, default)).Comments);
        Assert.Empty(await store.PublishedInAsync(c.Thread, default).ToListAsync());
    }

    [Fact]
    public async Task The_owners_list_shows_a_comment_once_it_is_indexed_and_under_its_status_only()
    {
        var store = await CreateAsync();
        var (c, _) = await store.AddOnceAsync(Comment(status: CommentStatus.Pending), default);
        Assert.Empty((await store.ListAsync(CommentStatus.Pending, null, null, 10, default)).Comments);
        await store.ReindexAsync(c, default, isNew: true);
        Assert.Equal([c.Id], (await store.ListAsync(CommentStatus.Pending, null, null, 10, default)).Comments.Select(x => x.Id));
        var saved = await store.SaveStatusAsync((await store.FindAsync(c.Id, default))! with { Status = CommentStatus.Published }, default);
        Assert.Empty((await store.ListAsync(CommentStatus.Pending, null, null, 10, default)).Comments);
        Assert.Equal([c.Id], (await store.ListAsync(CommentStatus.Published, null, null, 10, default)).Comments.Select(x => x.Id));
        Assert.Equal(CommentStatus.Published, saved.Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_list_pages_newest_first_without_gaps_or_repeats(bool oneThread)
    {
        var store = await CreateAsync();
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var (c, _) = await store.AddOnceAsync(Comment(thread: "/paged/", at: Start.AddHours(i)), default);
            await store.ReindexAsync(c, default, isNew: true);
            ids.Add(c.Id);
        }
        var (other, _) = await store.AddOnceAsync(Comment(thread: "/other/", status: CommentStatus.Pending, at: Start.AddHours(3).AddMinutes(1)), default);
        await store.ReindexAsync(other, default, isNew: true);

        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await store.ListAsync(CommentStatus.Published, oneThread ? "/paged/" : null, after, 3, default);
            Assert.True(page.Comments.Count <= 3);
            seen.AddRange(page.Comments.Select(c => c.Id));
            after = page.Next;
            pages++;
        } while (after is not null && pages < 10);
        ids.Reverse();
        Assert.Equal(ids, seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task A_full_last_page_says_there_is_no_next()
    {
        var store = await CreateAsync();
        for (var i = 0; i < 4; i++)
        {
            var (c, _) = await store.AddOnceAsync(Comment(at: Start.AddHours(i)), default);
            await store.ReindexAsync(c, default, isNew: true);
        }
        var first = await store.ListAsync(CommentStatus.Published, null, null, 2, default);
        Assert.NotNull(first.Next);
        var second = await store.ListAsync(CommentStatus.Published, null, first.Next, 2, default);
        Assert.Equal(2, second.Comments.Count);
        Assert.Null(second.Next);
    }

    [Fact]
    public async Task Published_comments_of_a_thread_and_all_comments()
    {
        var store = await CreateAsync();
        var a = (await store.AddOnceAsync(Comment(thread: "/a/"), default)).Comment;
        var held = (await store.AddOnceAsync(Comment(thread: "/a/", status: CommentStatus.Pending), default)).Comment;
        var b = (await store.AddOnceAsync(Comment(thread: "/b/"), default)).Comment;
        foreach (var c in new[] { a, held, b })
            await store.ReindexAsync(c, default, isNew: true);
        Assert.Equal([a.Id], (await store.PublishedInAsync("/a/", default).ToListAsync()).Select(c => c.Id));
        Assert.Equal(new[] { a.Id, held.Id, b.Id }.Order(), (await store.AllAsync(default).ToListAsync()).Select(c => c.Id).Order());
    }

    [Fact]
    public async Task Adding_many_adds_the_absent_ones_once_and_lists_them()
    {
        var store = await CreateAsync();
        var there = (await store.AddOnceAsync(Comment(thread: "/many/", body: "before"), default)).Comment;
        var fresh = Enumerable.Range(0, 5).Select(i => Comment(thread: i % 2 == 0 ? "/many/" : "/many-2/", at: Start.AddHours(i + 1))).ToList();
        var added = await store.AddManyAsync([there with { Body = "again" }, .. fresh, fresh[0]], default);
        Assert.Equal(fresh.Select(c => c.Id).Order(), added.Order());
        Assert.Equal("before", (await store.FindAsync(there.Id, default))!.Body);
        Assert.Equal(fresh.Select(c => c.Id).OrderDescending(StringComparer.Ordinal),
            (await store.ListAsync(CommentStatus.Published, null, null, 10, default)).Comments.Select(c => c.Id));
        Assert.Empty(await store.AddManyAsync(fresh, default));
    }

    [Fact]
    public async Task Reply_emails_can_be_stopped_and_a_missing_comment_stays_missing()
    {
        var store = await CreateAsync();
        var (c, _) = await store.AddOnceAsync(Comment() with { NotifyOnReply = true }, default);
        await store.SetNotifyOnReplyAsync(c, false, default);
        Assert.False((await store.FindAsync(c.Id, default))!.NotifyOnReply);
        await store.SetNotifyOnReplyAsync(c with { NotifyOnReply = false }, true, default);
        Assert.True((await store.FindAsync(c.Id, default))!.NotifyOnReply);

        var gone = Comment() with { NotifyOnReply = true };
        await store.SetNotifyOnReplyAsync(gone, false, default);
        Assert.Null(await store.FindAsync(gone.Id, default));
    }

    [Fact]
    public async Task Client_data_is_erased_from_old_comments_only_once()
    {
        var store = await CreateAsync();
        var old = (await store.AddOnceAsync(Comment(at: Start.AddDays(-100)), default)).Comment;
        var recent = (await store.AddOnceAsync(Comment(at: Start), default)).Comment;
        var bare = (await store.AddOnceAsync(Comment(at: Start.AddDays(-100)) with { Ip = null, UserAgent = null, Referrer = null }, default)).Comment;
        Assert.Equal(1, await store.EraseClientDataAsync(Start.AddDays(-30), default));
        var erased = (await store.FindAsync(old.Id, default))!;
        Assert.Null(erased.Ip);
        Assert.Null(erased.UserAgent);
        Assert.Equal("198.51.100.7", (await store.FindAsync(recent.Id, default))!.Ip);
        Assert.Equal(0, await store.EraseClientDataAsync(Start.AddDays(-30), default));
        Assert.NotNull(bare);
    }
}

public sealed class InMemoryCommentStoreContract : CommentStoreContract
{
    protected override Task<ICommentStore> CreateAsync() => Task.FromResult<ICommentStore>(new InMemoryCommentStore());
}

[Collection(AzureContracts.Name)]
public sealed class TableCommentStoreContract(AzuriteFixture azurite) : CommentStoreContract
{
    protected override async Task<ICommentStore> CreateAsync() => new TableCommentStore(await new AzureTestStorage(azurite).TableAsync());
}
