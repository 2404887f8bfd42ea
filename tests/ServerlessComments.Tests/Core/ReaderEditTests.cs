using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServerlessComments.Accepting;
using ServerlessComments.Comments;
using ServerlessComments.Editing;
using ServerlessComments.Notifications;
using ServerlessComments.Threads;

namespace ServerlessComments.Tests.Core;

/// <summary>A reader's second thoughts: the edit token, the window, an edit judged again through
/// the queue with its history kept, and a delete that leaves a placeholder only for replies.</summary>
public class ReaderEditTests
{
    private static readonly ClientInfo Client = new("198.51.100.7", "Browser/1", null);

    /// <summary>The core world plus reader edits, and a processor that knows them.</summary>
    private sealed class World
    {
        public readonly CoreWorld Core = new();
        public readonly EditOptions EditSettings = new();
        public readonly InMemoryAttemptCounters Counters = new();

        public EditTokens Tokens => new(new LinkSigner(Options.Create(Core.NotificationSettings), NullLogger<LinkSigner>.Instance));

        public ReaderEdits Edits => new(Core.Store, Core.Jobs, Core.Moderation, Core.Authors, Core.Updater, Tokens, Counters,
            new GuardKeys(Options.Create(Core.NotificationSettings)), Options.Create(EditSettings), Core.Clock, NullLogger<ReaderEdits>.Instance, Core.Placeholders);

        private Processing.CommentProcessing Processing => new(Core.Moderation, Core.Store, Core.Authors, Core.Jobs, Core.Updater,
            new DuplicateMarks(Core.Guards, new GuardKeys(Options.Create(Core.NotificationSettings)), Options.Create(Core.SpamSettings), Core.Clock),
            Options.Create(Core.NotificationSettings), NullLogger<Processing.CommentProcessing>.Instance, Core.Metrics, Core.Clock, Core.Erased, edits: Edits);

        public async Task DrainAsync()
        {
            for (var queued = Core.Jobs.Comments.Count; queued > 0 && Core.Jobs.Comments.TryDequeue(out var job); queued--)
                await Processing.ProcessAsync(JsonSerializer.Serialize(job.Comment, CommentJson.Options), default);
        }

        public async Task<string> PostAsync(string body, string? parentId = null, string? key = null)
        {
            var outcome = await Core.Acceptance.AcceptAsync(CoreWorld.Form(body: body, parentId: parentId), Client, CommentSource.Reader, default, idempotencyKey: key);
            await DrainAsync();
            return CoreWorld.Id(outcome);
        }

        public Task<EditOutcome> EditAsync(string id, string body, string? token = null) => Edits.EditAsync(id, token ?? Tokens.For(id), body, Client, default);

        public async Task<JsonElement> PageAsync() =>
            JsonDocument.Parse((await Core.Reading.ReadAsync("/post/", ThreadOrder.Oldest, null, null, default)).Json).RootElement;

        /// <summary>Everything the thread's stored views hold: chunks and first pages.</summary>
        public async Task<string> AllViewTextAsync()
        {
            var text = new StringBuilder();
            foreach (var chunk in Core.Views.Chunks.Values)
                text.Append(Encoding.UTF8.GetString(chunk));
            foreach (var order in new[] { ThreadOrder.Oldest, ThreadOrder.Newest })
                if (await Core.Views.ReadFirstPageAsync(ThreadKey.For("/post/"), order, null, default) is { } page)
                    text.Append(Encoding.UTF8.GetString(page.Json));
            return text.ToString();
        }
    }

    [Fact]
    public async Task A_retry_of_the_same_post_gets_the_same_token_and_stores_nothing_more()
    {
        var world = new World();
        const string key = "\"5f0c6f8e-4a8e-4c57-9a0e-111111111111\"";
        var first = await world.Core.Acceptance.AcceptAsync(CoreWorld.Form(body: "Once"), Client, CommentSource.Reader, default, idempotencyKey: key);
        var marks = world.Core.Guards.Marks.Count;
        var again = await world.Core.Acceptance.AcceptAsync(CoreWorld.Form(body: "Once"), Client, CommentSource.Reader, default, idempotencyKey: key);

        var one = Assert.IsType<AcceptOutcome.Accepted>(first).Comment;
        var two = Assert.IsType<AcceptOutcome.Accepted>(again).Comment;
        Assert.Equal(one.Id, two.Id);
        Assert.Equal(world.Edits.TokenFor(one)!.Value.Token, world.Edits.TokenFor(two)!.Value.Token);
        Assert.Equal(one.CreatedAt + TimeSpan.FromMinutes(15), world.Edits.TokenFor(two)!.Value.Until);
        Assert.Equal(marks, world.Core.Guards.Marks.Count);
        await world.DrainAsync();
        Assert.Single(world.Core.Store.All);

        // Another comment's token is another; a token made with another secret is refused.
        Assert.NotEqual(world.Tokens.For(one.Id), world.Tokens.For(CommentId.New(world.Core.Clock.GetUtcNow())));
        var token = world.Tokens.For(one.Id);
        Assert.False(world.Tokens.IsValid(one.Id, token[..^1] + (token[^1] == 'A' ? "B" : "A")));
        Assert.False(world.Tokens.IsValid(one.Id, null));
        Assert.True(world.Tokens.IsValid(one.Id, world.Tokens.For(one.Id)));
    }

    [Fact]
    public async Task Edits_off_gives_no_token_and_refuses_every_edit()
    {
        var world = new World();
        var id = await world.PostAsync("Bonjour");
        world.EditSettings.EditWindowMinutes = 0;
        Assert.Null(world.Edits.TokenFor(new CommentSubmission { Id = id, Thread = "/post/", Author = "Ann", Email = "a@example.com", Body = "x", CreatedAt = world.Core.Clock.GetUtcNow() }));
        var refused = Assert.IsType<EditOutcome.Refused>(await world.EditAsync(id, "Changed"));
        Assert.Equal(EditRefusal.Off, refused.Reason);
    }

    [Fact]
    public async Task An_edit_within_the_window_is_judged_through_the_queue_shown_edited_and_its_history_kept()
    {
        var world = new World();
        var id = await world.PostAsync("Frist!");
        world.Core.Clock.Advance(TimeSpan.FromMinutes(3));

        var accepted = Assert.IsType<EditOutcome.Accepted>(await world.EditAsync(id, "First!"));
        Assert.Equal(id, accepted.Id);
        // Nothing changed until the processor took it.
        Assert.Equal("Frist!", world.Core.Store.All.Single().Body);
        Assert.Single(world.Core.Jobs.Comments);
        await world.DrainAsync();

        var stored = world.Core.Store.All.Single();
        Assert.Equal("First!", stored.Body);
        Assert.Equal(CommentStatus.Published, stored.Status);
        Assert.Equal(world.Core.Clock.GetUtcNow(), stored.EditedAt);
        var earlier = Assert.Single(stored.History);
        Assert.Equal("Frist!", earlier.Body);
        Assert.Equal(stored.CreatedAt, earlier.At);
        Assert.Contains(ReaderEdits.EditedReason, stored.Reasons);

        var shown = (await world.PageAsync()).GetProperty("comments")[0];
        Assert.Equal("First!", shown.GetProperty("body").GetString());
        Assert.True(shown.TryGetProperty("editedAt", out _));
        Assert.DoesNotContain("Frist!", await world.AllViewTextAsync());
    }

    [Fact]
    public async Task The_same_edit_delivered_twice_and_an_older_edit_arriving_last_change_nothing_more()
    {
        var world = new World();
        var id = await world.PostAsync("One");
        world.Core.Clock.Advance(TimeSpan.FromMinutes(1));
        await world.EditAsync(id, "Two");
        var older = world.Core.Jobs.Comments.Single().Comment;
        world.Core.Clock.Advance(TimeSpan.FromSeconds(5));
        await world.EditAsync(id, "Three");
        var newer = world.Core.Jobs.Comments.Last().Comment;
        world.Core.Jobs.Comments.Clear();

        // The later edit is processed first (two instances), then the earlier, then a redelivery.
        await world.Core.Jobs.EnqueueCommentAsync(newer, null, default);
        await world.Core.Jobs.EnqueueCommentAsync(older, null, default);
        await world.Core.Jobs.EnqueueCommentAsync(newer, null, default);
        await world.DrainAsync();

        var stored = world.Core.Store.All.Single();
        Assert.Equal("Three", stored.Body);
        Assert.Equal(["One"], stored.History.Select(h => h.Body));
    }

    [Fact]
    public async Task An_edit_after_the_window_or_with_a_forged_token_is_refused_and_nothing_changes()
    {
        var world = new World();
        var id = await world.PostAsync("Kept as is");
        var forged = Assert.IsType<EditOutcome.Refused>(await world.EditAsync(id, "Changed", token: new string('A', 43)));
        Assert.Equal(EditRefusal.WrongToken, forged.Reason);
        Assert.Equal(EditRefusal.WrongToken, Assert.IsType<EditOutcome.Refused>(await world.Edits.DeleteAsync(id, null, Client, default)).Reason);

        world.Core.Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        Assert.Equal(EditRefusal.Expired, Assert.IsType<EditOutcome.Refused>(await world.EditAsync(id, "Changed")).Reason);
        Assert.Equal(EditRefusal.Expired, Assert.IsType<EditOutcome.Refused>(await world.Edits.DeleteAsync(id, world.Tokens.For(id), Client, default)).Reason);

        Assert.Empty(world.Core.Jobs.Comments);
        var stored = world.Core.Store.All.Single();
        Assert.Equal("Kept as is", stored.Body);
        Assert.Null(stored.EditedAt);
    }

    [Fact]
    public async Task An_edit_queued_before_the_window_closed_is_applied_after_it()
    {
        var world = new World();
        var id = await world.PostAsync("Almost late");
        world.Core.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.IsType<EditOutcome.Accepted>(await world.EditAsync(id, "Just in time"));
        world.Core.Clock.Advance(TimeSpan.FromMinutes(5));
        await world.DrainAsync();
        Assert.Equal("Just in time", world.Core.Store.All.Single().Body);
    }

    [Fact]
    public async Task A_published_comment_edited_into_spam_is_hidden_and_kept_for_the_owner()
    {
        var world = new World();
        world.Core.SpamSettings.BlockWords = "casino";
        var id = await world.PostAsync("A fair point");
        Assert.Equal(1, (await world.PageAsync()).GetProperty("count").GetInt32());

        Assert.IsType<EditOutcome.Accepted>(await world.EditAsync(id, "Visit my casino"));
        await world.DrainAsync();

        var stored = world.Core.Store.All.Single();
        Assert.Equal(CommentStatus.Spam, stored.Status);
        Assert.Equal("A fair point", stored.History.Single().Body);
        Assert.Equal(0, (await world.PageAsync()).GetProperty("count").GetInt32());
        Assert.DoesNotContain("casino", await world.AllViewTextAsync());
        Assert.False(world.Core.Authors.Known.ContainsKey("ann@example.com"));
    }

    [Fact]
    public async Task An_edit_of_a_comment_the_owner_marked_spam_meanwhile_is_dropped_and_a_new_one_refused()
    {
        var world = new World();
        var id = await world.PostAsync("Original");
        await world.EditAsync(id, "Edited");
        await world.Core.Owner.DecideAsync(id, Owner.OwnerDecisions.Spam, default);
        await world.DrainAsync();

        var stored = world.Core.Store.All.Single();
        Assert.Equal("Original", stored.Body);
        Assert.Equal(CommentStatus.Spam, stored.Status);
        Assert.Equal(EditRefusal.Gone, Assert.IsType<EditOutcome.Refused>(await world.EditAsync(id, "Again")).Reason);
    }

    [Fact]
    public async Task An_edit_of_a_comment_still_in_the_queue_is_refused_until_it_is_stored()
    {
        var world = new World();
        var outcome = await world.Core.Acceptance.AcceptAsync(CoreWorld.Form(body: "Queued"), Client, CommentSource.Reader, default);
        var id = CoreWorld.Id(outcome);
        Assert.Equal(EditRefusal.NotYet, Assert.IsType<EditOutcome.Refused>(await world.EditAsync(id, "Changed")).Reason);
        await world.DrainAsync();
        Assert.IsType<EditOutcome.Accepted>(await world.EditAsync(id, "Changed"));
        await world.DrainAsync();
        Assert.Equal("Changed", world.Core.Store.All.Single().Body);
    }

    [Fact]
    public async Task After_five_edits_a_sixth_is_refused()
    {
        var world = new World();
        var id = await world.PostAsync("v0");
        for (var i = 1; i <= ReaderEdits.MaxEdits; i++)
        {
            world.Core.Clock.Advance(TimeSpan.FromSeconds(10));
            Assert.IsType<EditOutcome.Accepted>(await world.EditAsync(id, "v" + i));
            await world.DrainAsync();
        }
        Assert.Equal(EditRefusal.TooManyEdits, Assert.IsType<EditOutcome.Refused>(await world.EditAsync(id, "v6")).Reason);
        Assert.Equal(["v0", "v1", "v2", "v3", "v4"], world.Core.Store.All.Single().History.Select(h => h.Body));
    }

    [Fact]
    public async Task Too_many_requests_from_one_address_wait()
    {
        var world = new World();
        world.EditSettings.EditRequestsPerClient = 2;
        var id = await world.PostAsync("Hello");
        await world.EditAsync(id, "a", token: "wrong");
        await world.EditAsync(id, "b", token: "wrong");
        var waited = Assert.IsType<EditOutcome.TooMany>(await world.EditAsync(id, "c"));
        Assert.InRange(waited.Seconds, 1, 15 * 60);
        Assert.Empty(world.Core.Jobs.Comments);
    }

    [Fact]
    public async Task A_delete_with_replies_leaves_a_placeholder_without_anything_of_its_author()
    {
        var world = new World();
        var parent = await world.PostAsync("Secret words of the parent");
        world.Core.Clock.Advance(TimeSpan.FromMinutes(1));
        await world.EditAsync(parent, "Earlier secret words");
        await world.DrainAsync();
        await world.PostAsync("A reply", parentId: parent);

        Assert.Equal(new EditOutcome.Deleted(true), await world.Edits.DeleteAsync(parent, world.Tokens.For(parent), Client, default));

        var placeholder = world.Core.Store.All.Single(c => c.Id == parent);
        Assert.True(placeholder.Deleted);
        Assert.Equal("", placeholder.Author + placeholder.Email + placeholder.Body + placeholder.Website + placeholder.Ip + placeholder.UserAgent);
        Assert.Empty(placeholder.History);
        var root = (await world.PageAsync()).GetProperty("comments")[0];
        Assert.True(root.GetProperty("deleted").GetBoolean());
        Assert.Equal("A reply", root.GetProperty("replies")[0].GetProperty("body").GetString());
        var views = await world.AllViewTextAsync();
        Assert.DoesNotContain("secret words", views, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\"Ann\"", views.Replace("\"author\":\"Ann\",\"website\":null,\"body\":\"A reply\"", ""));

        // A retry of the delete is done already; an edit of the placeholder is refused.
        Assert.Equal(new EditOutcome.Deleted(true), await world.Edits.DeleteAsync(parent, world.Tokens.For(parent), Client, default));
        Assert.Equal(EditRefusal.Gone, Assert.IsType<EditOutcome.Refused>(await world.EditAsync(parent, "Back")).Reason);
    }

    [Fact]
    public async Task A_placeholder_goes_with_its_last_reply_up_the_chain_and_stays_while_another_holds_it()
    {
        var world = new World();
        var root = await world.PostAsync("Root words");
        var middle = await world.PostAsync("Middle words", parentId: root);
        var leaf = await world.PostAsync("Leaf words", parentId: middle);
        var other = await world.PostAsync("Another answer to the root", parentId: root);
        Assert.Equal(new EditOutcome.Deleted(true), await world.Edits.DeleteAsync(root, world.Tokens.For(root), Client, default));
        Assert.Equal(new EditOutcome.Deleted(true), await world.Edits.DeleteAsync(middle, world.Tokens.For(middle), Client, default));

        // The leaf goes: the middle placeholder holds nothing and goes; the root still holds another answer.
        Assert.Equal(new EditOutcome.Deleted(false), await world.Edits.DeleteAsync(leaf, world.Tokens.For(leaf), Client, default));
        Assert.DoesNotContain(world.Core.Store.All, c => c.Id == middle);
        Assert.True(world.Core.Store.All.Single(c => c.Id == root).Deleted);
        var page = await world.PageAsync();
        Assert.Equal(2, page.GetProperty("count").GetInt32());
        Assert.Equal(other, Assert.Single(page.GetProperty("comments")[0].GetProperty("replies").EnumerateArray()).GetProperty("id").GetString());

        // The owner deletes that last answer: the root placeholder goes with it, and the thread is empty.
        await world.Core.Owner.DecideAsync(other, ServerlessComments.Owner.OwnerDecisions.Delete, default);
        Assert.Empty(world.Core.Store.All);
        page = await world.PageAsync();
        Assert.Equal(0, page.GetProperty("count").GetInt32());
        Assert.Empty(page.GetProperty("comments").EnumerateArray());
    }

    [Fact]
    public async Task A_delete_without_replies_removes_the_comment_everywhere()
    {
        var world = new World();
        await world.PostAsync("Stays");
        var id = await world.PostAsync("Goes away entirely");
        Assert.Equal(new EditOutcome.Deleted(false), await world.Edits.DeleteAsync(id, world.Tokens.For(id), Client, default));

        Assert.DoesNotContain(world.Core.Store.All, c => c.Id == id);
        var page = await world.PageAsync();
        Assert.Equal(1, page.GetProperty("count").GetInt32());
        Assert.DoesNotContain("Goes away", await world.AllViewTextAsync());
    }

    [Fact]
    public async Task Erasing_an_author_without_their_text_erases_their_earlier_texts_too()
    {
        var world = new World();
        var id = await world.PostAsync("First draft with a secret");
        await world.EditAsync(id, "Second draft");
        await world.DrainAsync();
        Assert.Single(world.Core.Store.All.Single().History);

        await world.Core.PersonalData.EraseAsync("ann@example.com", PersonalData.EraseMode.Anonymise, keepText: false, "en", default);
        var stored = world.Core.Store.All.Single();
        Assert.Empty(stored.History);
        Assert.DoesNotContain("draft", stored.Body);
    }
}
