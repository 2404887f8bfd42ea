using System.Text.Json;
using ServerlessComments.Accepting;
using ServerlessComments.Comments;
using ServerlessComments.Jobs;
using ServerlessComments.Moderation;
using ServerlessComments.Owner;
using ServerlessComments.Threads;

namespace ServerlessComments.Tests.Core;

/// <summary>The core's rules, in-process over in-memory ports: accepting, judging, storing,
/// the owner's decisions and their follow-ups. (The same rules over real HTTP, queues and
/// Azurite are covered, more broadly, by the integration tests.)</summary>
public class CommentRulesTests
{
    private static StoredComment Stored(CoreWorld world, AcceptOutcome outcome) =>
        world.Store.All.Single(c => c.Id == CoreWorld.Id(outcome));

    private static async Task<int> PublicCount(CoreWorld world, string thread) =>
        JsonDocument.Parse((await world.Reading.ReadAsync(thread, ThreadOrder.Oldest, null, null, default)).Json).RootElement.GetProperty("count").GetInt32();

    // Accepting

    [Fact]
    public async Task An_invalid_comment_is_refused_field_by_field_and_nothing_is_queued()
    {
        var world = new CoreWorld();
        var outcome = await world.Acceptance.AcceptAsync(CoreWorld.Form(email: "not an address", body: " "), ClientInfo.None, CommentSource.Reader, default);
        var invalid = Assert.IsType<AcceptOutcome.Invalid>(outcome);
        Assert.Equal(["body", "email"], invalid.Errors.Keys.Order());
        Assert.Empty(world.Jobs.Comments);
    }

    [Fact]
    public async Task A_reply_needs_a_stored_parent_in_the_same_thread()
    {
        var world = new CoreWorld();
        var parent = CoreWorld.Id(await world.PostAsync(CoreWorld.Form("/a/")));
        Assert.IsType<AcceptOutcome.Accepted>(await world.PostAsync(CoreWorld.Form("/a/", "reply", parentId: parent)));
        var other = Assert.IsType<AcceptOutcome.Invalid>(await world.PostAsync(CoreWorld.Form("/b/", "reply", parentId: parent)));
        Assert.Equal(CommentValidator.UnknownParent, other.Errors["parentId"][0]);
    }

    [Fact]
    public async Task The_same_text_from_the_same_address_on_the_same_thread_is_a_duplicate_in_the_readers_language()
    {
        var world = new CoreWorld();
        Assert.IsType<AcceptOutcome.Accepted>(await world.PostAsync(CoreWorld.Form(body: "Merci !")));
        var form = CoreWorld.Form(body: "Merci !", email: "ANN@example.com");
        form.Lang = "fr";
        var duplicate = Assert.IsType<AcceptOutcome.Duplicate>(await world.PostAsync(form));
        Assert.StartsWith("Commentaire en double", duplicate.Message);
        Assert.IsType<AcceptOutcome.Accepted>(await world.PostAsync(CoreWorld.Form("/other/", "Merci !")));
        Assert.IsType<AcceptOutcome.Accepted>(await world.PostAsync(CoreWorld.Form(body: "Merci !", email: "bob@example.com")));
    }

    [Fact]
    public async Task A_comment_that_could_not_be_queued_leaves_no_duplicate_mark()
    {
        var world = new CoreWorld();
        world.Jobs.Down = true;
        await Assert.ThrowsAsync<IOException>(() => world.Acceptance.AcceptAsync(CoreWorld.Form(), ClientInfo.None, CommentSource.Reader, default));
        Assert.Empty(world.Guards.Marks);
        world.Jobs.Down = false;
        Assert.IsType<AcceptOutcome.Accepted>(await world.PostAsync(CoreWorld.Form()));
    }

    [Fact]
    public async Task A_request_cancelled_before_its_comment_was_queued_leaves_no_marker()
    {
        var world = new CoreWorld();
        using var cancelled = new CancellationTokenSource();
        world.SpamSettings.FloodSeconds = 15;
        world.Guards.Down = false;
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            world.Acceptance.AcceptAsync(CoreWorld.Form(), ClientInfo.None, CommentSource.Reader, cancelled.Token));
        Assert.Empty(world.Guards.Marks);
    }

    [Fact]
    public async Task A_reader_whose_answer_was_lost_can_send_again_and_one_copy_is_stored()
    {
        var world = new CoreWorld();
        // The first request died after its comment was queued, before the reader heard back.
        Assert.IsType<AcceptOutcome.Accepted>(await world.Acceptance.AcceptAsync(CoreWorld.Form(body: "Did it go through?"), ClientInfo.None, CommentSource.Reader, default));
        // The reader sends again before it was processed: accepted too (nothing marks it yet)...
        Assert.IsType<AcceptOutcome.Accepted>(await world.Acceptance.AcceptAsync(CoreWorld.Form(body: "Did it go through?"), ClientInfo.None, CommentSource.Reader, default));
        await world.DrainAsync();
        // ...and the processor stores one copy.
        Assert.Single(world.Store.All);
        Assert.Equal(2, world.Jobs.Completed.Count);
        // Once stored, the same text again is a duplicate.
        Assert.IsType<AcceptOutcome.Duplicate>(await world.PostAsync(CoreWorld.Form(body: "Did it go through?")));
    }

    [Fact]
    public async Task A_request_that_died_before_queuing_leaves_nothing_that_refuses_the_readers_retry()
    {
        var world = new CoreWorld();
        world.Jobs.Down = true;
        await Assert.ThrowsAsync<IOException>(() => world.Acceptance.AcceptAsync(CoreWorld.Form(body: "Lost?"), ClientInfo.None, CommentSource.Reader, default));
        world.Jobs.Down = false;
        Assert.IsType<AcceptOutcome.Accepted>(await world.PostAsync(CoreWorld.Form(body: "Lost?")));
        Assert.Single(world.Store.All);
    }

    [Fact]
    public async Task While_the_first_copy_waits_for_its_spam_check_a_second_is_dropped_and_the_first_is_stored_in_its_turn()
    {
        var world = new CoreWorld();
        world.Spam.IsConfigured = true;
        world.Spam.Answer = _ => SpamAnswer.Unavailable; // the first copy waits for the spam check
        await world.Acceptance.AcceptAsync(CoreWorld.Form(body: "Twice"), ClientInfo.None, CommentSource.Reader, default);
        await world.DrainAsync(); // holds the mark, not stored yet
        Assert.Empty(world.Store.All);
        var waiting = world.Jobs.Comments.Single().Comment;
        world.Jobs.Comments.Clear();

        world.Spam.Answer = _ => SpamAnswer.Ham;
        // A reader sending it again is told it is there (it is on its way)...
        Assert.IsType<AcceptOutcome.Duplicate>(await world.PostAsync(CoreWorld.Form(body: "Twice")));
        // ...and a copy queued anyway (another instance, at the same moment) is dropped.
        await world.Processing.ProcessAsync(System.Text.Json.JsonSerializer.Serialize(waiting with { Id = CommentId.New(world.Clock.GetUtcNow().AddSeconds(1)) }, CommentJson.Options), default);
        Assert.Empty(world.Store.All);
        // The first copy, in its turn, is stored: one copy in all.
        await world.Processing.ProcessAsync(System.Text.Json.JsonSerializer.Serialize(waiting, CommentJson.Options), default);
        Assert.Equal(waiting.Id, Assert.Single(world.Store.All).Id);
    }

    [Fact]
    public async Task Guard_keys_are_salted_and_the_privacy_job_deletes_old_ones()
    {
        var world = new CoreWorld();
        world.SpamSettings.FloodSeconds = 15;
        await world.PostAsync(CoreWorld.Form(), new ClientInfo("198.51.100.7", null, null));
        var unsalted = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("ip:198.51.100.7"u8.ToArray()));
        Assert.Equal(2, world.Guards.FloodKeys.Count);
        Assert.DoesNotContain(unsalted, world.Guards.FloodKeys);
        Assert.DoesNotContain(world.Guards.FloodKeys, k => k.Contains("198.51.100.7"));

        world.Clock.Advance(TimeSpan.FromDays(2));
        await world.Janitor.RunAsync(default);
        Assert.Empty(world.Guards.FloodKeys); // a day is plenty for a 15-second window
        Assert.Single(world.Guards.Marks); // duplicate marks last the retention (30 days)
        world.Clock.Advance(TimeSpan.FromDays(30));
        await world.Janitor.RunAsync(default);
        Assert.Empty(world.Guards.Marks);
    }

    [Fact]
    public async Task Readers_are_held_to_the_flood_window_but_the_owners_loader_is_not()
    {
        var world = new CoreWorld();
        world.SpamSettings.FloodSeconds = 15;
        Assert.IsType<AcceptOutcome.Accepted>(await world.PostAsync(CoreWorld.Form(body: "one")));
        var tooFast = Assert.IsType<AcceptOutcome.TooFast>(await world.PostAsync(CoreWorld.Form(body: "two")));
        Assert.Equal(15, tooFast.Seconds);
        Assert.IsType<AcceptOutcome.Accepted>(await world.Acceptance.AcceptAsync(CoreWorld.Form(body: "three"), ClientInfo.None, CommentSource.Owner, default));
        world.Clock.Advance(TimeSpan.FromSeconds(16));
        Assert.IsType<AcceptOutcome.Accepted>(await world.PostAsync(CoreWorld.Form(body: "four")));
    }

    [Fact]
    public async Task When_the_guards_storage_is_down_they_step_aside()
    {
        var world = new CoreWorld();
        world.Guards.Down = true;
        // Accepted and queued; processing waits for storage (a retry), as it does for the comment rows.
        Assert.IsType<AcceptOutcome.Accepted>(await world.Acceptance.AcceptAsync(CoreWorld.Form(), ClientInfo.None, CommentSource.Reader, default));
        Assert.Single(world.Jobs.Comments);
    }

    // Judging

    [Theory]
    [InlineData("none", CommentStatus.Published)]
    [InlineData("all", CommentStatus.Pending)]
    [InlineData("first-time", CommentStatus.Pending)]
    public async Task The_moderation_mode_decides_a_clean_comment(string mode, CommentStatus status)
    {
        var world = new CoreWorld();
        world.ModerationSettings.Mode = mode;
        Assert.Equal(status, Stored(world, await world.PostAsync(CoreWorld.Form())).Status);
    }

    [Fact]
    public async Task First_time_moderation_publishes_a_known_author_and_approval_makes_one()
    {
        var world = new CoreWorld();
        world.ModerationSettings.Mode = "first-time";
        var first = Stored(world, await world.PostAsync(CoreWorld.Form(body: "first")));
        Assert.Equal(CommentStatus.Pending, first.Status);
        Assert.Contains("first comment from this email address and name", first.Reasons);
        Assert.Equal(0, await PublicCount(world, "/post/"));

        await world.Owner.DecideAsync(first.Id, OwnerDecisions.Approve, default);
        Assert.Equal(1, await PublicCount(world, "/post/"));
        Assert.Equal(CommentStatus.Published, Stored(world, await world.PostAsync(CoreWorld.Form(body: "second"))).Status);
    }

    [Fact]
    public async Task Knowing_a_regulars_address_is_not_enough_and_spam_revokes_their_standing()
    {
        var world = new CoreWorld();
        world.ModerationSettings.Mode = "first-time";
        var first = Stored(world, await world.PostAsync(CoreWorld.Form(body: "first", author: "Ann")));
        await world.Owner.DecideAsync(first.Id, OwnerDecisions.Approve, default);

        // Someone who knows Ann's address, under another name: held.
        Assert.Equal(CommentStatus.Pending, Stored(world, await world.PostAsync(CoreWorld.Form(body: "I am Ann", author: "Mallory"))).Status);
        // Ann herself, however she capitalises her name: published.
        var again = Stored(world, await world.PostAsync(CoreWorld.Form(body: "again", author: " ann ")));
        Assert.Equal(CommentStatus.Published, again.Status);

        // One of her comments marked spam: she is new again.
        await world.Owner.DecideAsync(again.Id, OwnerDecisions.Spam, default);
        Assert.Equal(CommentStatus.Pending, Stored(world, await world.PostAsync(CoreWorld.Form(body: "after spam", author: "Ann"))).Status);
    }

    [Theory]
    [InlineData("honeypot", null, CommentStatus.Spam, "honeypot field filled in")]
    [InlineData("Buy cheap pills", "pills", CommentStatus.Spam, "block word \"pills\" in text")]
    [InlineData("see http://a.example http://b.example http://c.example", null, CommentStatus.Pending, "3 links (more than 2)")]
    [InlineData("two links http://a.example http://b.example", null, CommentStatus.Published, "passed every check")]
    public async Task The_built_in_defences_judge_before_anything_else(string body, string? blockWord, CommentStatus status, string reason)
    {
        var world = new CoreWorld();
        world.SpamSettings.BlockWords = blockWord ?? "";
        var stored = Stored(world, await world.PostAsync(CoreWorld.Form(body: body, hp: body == "honeypot" ? "bot was here" : null)));
        Assert.Equal(status, stored.Status);
        Assert.Contains(reason, stored.Reasons);
        Assert.Empty(world.Spam.Checked); // not configured here
    }

    [Fact]
    public async Task The_spam_services_answers_decide_and_discard_stores_nothing()
    {
        var world = new CoreWorld();
        world.Spam.IsConfigured = true;
        world.Spam.Answer = c => c.Body switch { "spam" => SpamAnswer.Spam, "blatant" => SpamAnswer.Discard, _ => SpamAnswer.Ham };
        Assert.Equal(CommentStatus.Published, Stored(world, await world.PostAsync(CoreWorld.Form(body: "ham"))).Status);
        Assert.Equal(CommentStatus.Spam, Stored(world, await world.PostAsync(CoreWorld.Form(body: "spam"))).Status);
        var discarded = await world.PostAsync(CoreWorld.Form(body: "blatant"));
        Assert.DoesNotContain(world.Store.All, c => c.Id == CoreWorld.Id(discarded));
        var check = world.Spam.Checked.First();
        Assert.Equal("198.51.100.7", check.Ip);
        Assert.Equal("Browser/1", check.UserAgent);
    }

    [Fact]
    public async Task While_the_spam_service_is_down_the_comment_waits_longer_each_time_then_is_held_never_published()
    {
        var world = new CoreWorld();
        world.Spam.IsConfigured = true;
        world.Spam.Answer = _ => SpamAnswer.Unavailable;
        world.RetrySettings.MaxRetries = 3;
        var outcome = await world.Acceptance.AcceptAsync(CoreWorld.Form(), ClientInfo.None, CommentSource.Reader, default);
        var delays = new List<TimeSpan?>();
        for (var i = 0; i < 3; i++)
        {
            Assert.Single(world.Jobs.Comments);
            await world.DrainAsync();
            delays.Add(world.Jobs.Comments.Single().Delay);
            Assert.Empty(world.Store.All);
        }
        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120)], delays);
        await world.DrainAsync();
        var held = Stored(world, outcome);
        Assert.Equal(CommentStatus.Pending, held.Status);
        Assert.Contains(ModerationPipeline.SpamCheckUnavailable, held.Reasons);
    }

    // Processing

    [Fact]
    public async Task A_comment_delivered_twice_is_judged_once_stored_once_and_its_follow_ups_come_from_what_is_stored()
    {
        var world = new CoreWorld();
        world.Spam.IsConfigured = true;
        await world.Acceptance.AcceptAsync(CoreWorld.Form(), ClientInfo.None, CommentSource.Reader, default);
        var message = JsonSerializer.Serialize(world.Jobs.Comments.Single().Comment, CommentJson.Options);
        world.Jobs.Comments.Clear();
        await world.Processing.ProcessAsync(message, default);
        // The spam service would now say spam: a second delivery must not change the verdict.
        world.Spam.Answer = _ => SpamAnswer.Spam;
        await world.Processing.ProcessAsync(message, default);

        Assert.Single(world.Spam.Checked);
        Assert.Equal(CommentStatus.Published, Assert.Single(world.Store.All).Status);
        Assert.Equal(1, await PublicCount(world, "/post/"));
        // The owner's email is queued on both deliveries: the sender's ledger sends it once.
        Assert.Equal(2, world.Jobs.Emails.Count(e => e.Job.Kind == NotificationJob.Owner));
    }

    [Fact]
    public async Task A_published_reply_queues_its_reply_email_and_a_held_one_does_not()
    {
        var world = new CoreWorld();
        var parent = CoreWorld.Id(await world.PostAsync(CoreWorld.Form()));
        var reply = CoreWorld.Id(await world.PostAsync(CoreWorld.Form(body: "reply", author: "Manon", email: "manon@example.com", parentId: parent)));
        Assert.Contains(world.Jobs.Emails, e => e.Job == new NotificationJob(NotificationJob.Reply, reply));

        world.ModerationSettings.Mode = "all";
        var held = CoreWorld.Id(await world.PostAsync(CoreWorld.Form(body: "held reply", author: "Bob", email: "bob@example.com", parentId: parent)));
        Assert.DoesNotContain(world.Jobs.Emails, e => e.Job.CommentId == held && e.Job.Kind == NotificationJob.Reply);
    }

    // The owner's decisions

    [Fact]
    public async Task Each_decision_changes_the_status_the_public_view_and_is_safe_to_repeat()
    {
        var world = new CoreWorld();
        world.Spam.IsConfigured = true;
        var id = CoreWorld.Id(await world.PostAsync(CoreWorld.Form()));
        Assert.Equal(1, await PublicCount(world, "/post/"));

        foreach (var _ in new[] { 1, 2 })
        {
            Assert.Equal(CommentStatus.Spam, (await world.Owner.DecideAsync(id, OwnerDecisions.Spam, default))!.Status);
            Assert.Equal(0, await PublicCount(world, "/post/"));
        }
        Assert.Single(world.Spam.Submitted); // the correction is told once
        Assert.True(world.Spam.Submitted.Single().IsSpam);

        Assert.Equal(CommentStatus.Published, (await world.Owner.DecideAsync(id, OwnerDecisions.Ham, default))!.Status);
        Assert.Equal(1, await PublicCount(world, "/post/"));
        Assert.False(world.Spam.Submitted.Last().IsSpam);
        Assert.Contains("owner: spam → published", world.Store.All.Single(c => c.Id == id).Reasons);

        Assert.NotNull(await world.Owner.DecideAsync(id, OwnerDecisions.Delete, default));
        Assert.Equal(0, await PublicCount(world, "/post/"));
        Assert.Null(await world.Owner.DecideAsync(id, OwnerDecisions.Delete, default));
    }

    [Fact]
    public async Task Approving_a_held_reply_again_queues_its_email_again_so_an_interrupted_approval_finishes()
    {
        var world = new CoreWorld();
        var parent = CoreWorld.Id(await world.PostAsync(CoreWorld.Form()));
        world.ModerationSettings.Mode = "all";
        var reply = CoreWorld.Id(await world.PostAsync(CoreWorld.Form(body: "reply", author: "Manon", email: "manon@example.com", parentId: parent)));
        await world.Owner.DecideAsync(reply, OwnerDecisions.Approve, default);
        await world.Owner.DecideAsync(reply, OwnerDecisions.Approve, default);
        Assert.Equal(2, world.Jobs.Emails.Count(e => e.Job == new NotificationJob(NotificationJob.Reply, reply)));
        Assert.True(world.Authors.Known.ContainsKey("manon@example.com"));
    }

    [Fact]
    public async Task A_decision_on_a_comment_changed_meanwhile_reads_it_again()
    {
        var world = new CoreWorld();
        world.ModerationSettings.Mode = "all";
        var id = CoreWorld.Id(await world.PostAsync(CoreWorld.Form()));
        // Two decisions at once on one comment: both finish, one status wins, nothing is lost.
        var results = await Task.WhenAll(
            world.Owner.DecideAsync(id, OwnerDecisions.Approve, default),
            world.Owner.DecideAsync(id, OwnerDecisions.Approve, default));
        Assert.All(results, r => Assert.Equal(CommentStatus.Published, r!.Status));
        Assert.Equal(1, await PublicCount(world, "/post/"));
    }

    [Fact]
    public async Task The_owner_s_lists_reach_another_instance_within_a_minute_and_the_saving_one_at_once()
    {
        var world = new CoreWorld();
        var other = new Moderation.OwnerRules(world.OwnerSettings, world.Clock); // a second instance, same storage
        Assert.Empty((await other.CurrentAsync(default)).HoldWords);
        await world.OwnerRules.SaveAsync(new Moderation.OwnerLists { HoldWords = ["bitcoin"] }, default);

        var held = CoreWorld.Id(await world.PostAsync(CoreWorld.Form(body: "bitcoin here")));
        Assert.Equal(CommentStatus.Pending, world.Store.All.Single(c => c.Id == held).Status);
        Assert.Empty((await other.CurrentAsync(default)).HoldWords);
        world.Clock.Advance(Moderation.OwnerRules.Freshness);
        Assert.Equal(["bitcoin"], (await other.CurrentAsync(default)).HoldWords);
        var reads = world.OwnerSettings.Reads;
        for (var i = 0; i < 10; i++)
            await other.CurrentAsync(default);
        Assert.Equal(reads, world.OwnerSettings.Reads); // cached: not a storage read per comment
    }
}
