using System.Text.Json;
using ServerlessComments.Accepting;
using ServerlessComments.Comments;
using ServerlessComments.Moderation;
using ServerlessComments.PersonalData;

namespace ServerlessComments.Tests.Core;

/// <summary>Erasing a person's data reaches every place that holds their address or IPs: the
/// reasons, the owner's lists, comments still waiting in the queue or in flight, and chunks of
/// the views left by writers that lost a race.</summary>
public sealed class ErasureTests
{
    private const string Email = "erin@example.com";
    private const string Ip = "192.0.2.44";
    private static readonly ClientInfo Client = new(Ip, "Browser/1", null);

    private static bool Holds(StoredComment c, string text) =>
        JsonSerializer.Serialize(c, CommentJson.Options).Contains(text, StringComparison.OrdinalIgnoreCase);

    [Fact]
    public async Task Reasons_written_before_they_stopped_quoting_lose_the_address_and_ip()
    {
        var world = new CoreWorld();
        var old = StoredComment.From(new CommentSubmission
        {
            Id = CommentId.New(world.Clock.GetUtcNow()), Thread = "/old/", Author = "Erin", Email = "Erin@Example.com", Body = "Hello",
            Ip = Ip, CreatedAt = world.Clock.GetUtcNow(),
        }, CommentStatus.Pending, ["held address \"Erin@Example.com\"", $"held IP {Ip}", "2 links (more than 1)"]);
        await world.Store.AddOnceAsync(old, default);

        await world.PersonalData.EraseAsync(Email, EraseMode.Anonymise, keepText: true, "en", default);

        var kept = Assert.Single(world.Store.All);
        Assert.False(Holds(kept, "erin@example.com"), string.Join(" | ", kept.Reasons));
        Assert.False(Holds(kept, Ip), string.Join(" | ", kept.Reasons));
        Assert.Contains("2 links (more than 1)", kept.Reasons); // the rest of the reasons stay
    }

    [Fact]
    public async Task The_address_and_its_ips_leave_the_owners_lists_unless_the_owner_keeps_them()
    {
        foreach (var keep in new[] { false, true })
        {
            var world = new CoreWorld();
            await world.OwnerRules.SaveAsync(new OwnerLists
            {
                HoldEmails = [Email, "other@example.com"], HoldIps = [Ip, "198.51.100.0/24"], BlockWords = ["casino"],
            }, default);
            await world.PostAsync(CoreWorld.Form(email: Email, author: "Erin"), Client);
            Assert.Single(world.Store.All);

            var summary = await world.PersonalData.EraseAsync(Email, EraseMode.Delete, keepText: false, "en", default, keepListed: keep);

            var lists = world.OwnerSettings.Lists;
            if (keep)
            {
                Assert.Contains(Email, lists.HoldEmails);
                Assert.Contains(Ip, lists.HoldIps);
                Assert.Equal(0, summary.ListEntries);
            }
            else
            {
                Assert.Equal(["other@example.com"], lists.HoldEmails);
                Assert.Equal(["198.51.100.0/24"], lists.HoldIps); // a network names no one
                Assert.Equal(2, summary.ListEntries);
            }
            Assert.Equal(["casino"], lists.BlockWords);
        }
    }

    [Fact]
    public async Task A_queued_comment_is_dropped_and_one_in_flight_is_never_stored()
    {
        var world = new CoreWorld();
        var queued = CoreWorld.Id(await world.Acceptance.AcceptAsync(CoreWorld.Form(thread: "/a/", email: Email, body: "Queued"), Client, CommentSource.Reader, default));
        // Another reader's comment waits in the same queue and stays there.
        await world.Acceptance.AcceptAsync(CoreWorld.Form(thread: "/a/", email: "ann@example.com", body: "Mine"), new ClientInfo("198.51.100.1", null, null), CommentSource.Reader, default);
        // One a worker holds while the erasure runs (or that waits in a poison queue backup and is replayed later).
        var inFlight = new CommentSubmission { Id = CommentId.New(world.Clock.GetUtcNow()), Thread = "/b/", Author = "Erin", Email = "ERIN@example.com",
            Body = "In flight", Ip = Ip, CreatedAt = world.Clock.GetUtcNow() };

        var summary = await world.PersonalData.EraseAsync(Email, EraseMode.Delete, keepText: false, "en", default);
        Assert.Equal(1, summary.Waiting);
        Assert.DoesNotContain(world.Jobs.Comments, j => j.Comment.Id == queued);
        Assert.Single(world.Jobs.Comments);

        await world.Processing.ProcessAsync(JsonSerializer.Serialize(inFlight, CommentJson.Options), default);
        await world.DrainAsync();
        Assert.DoesNotContain(world.Store.All, c => Holds(c, Email) || Holds(c, Ip));
        Assert.Contains(inFlight.Id, world.Jobs.Completed); // its payload, if any, is cleaned up

        // The same person writing again after the erasure is a new comment, stored as any.
        world.Clock.Advance(TimeSpan.FromSeconds(1));
        await world.PostAsync(CoreWorld.Form(thread: "/c/", email: Email, body: "Back again"), Client);
        Assert.Contains(world.Store.All, c => c.Body == "Back again");
    }

    [Fact]
    public async Task The_email_ledger_forgets_the_emails_sent_to_the_address()
    {
        var world = new CoreWorld();
        await world.Authors.ConfirmRepliesAsync(Email, default);
        var form = CoreWorld.Form(thread: "/mail/", email: Email, author: "Erin", body: "Tell me");
        form.NotifyOnReply = true;
        var parent = CoreWorld.Id(await world.PostAsync(form, Client));
        await world.PostAsync(CoreWorld.Form(thread: "/mail/", body: "Here is a reply", parentId: parent));
        await world.SendEmailsAsync();
        Assert.Contains(world.Mail.Sent, e => e.To == Email);
        Assert.Contains(world.Ledger.Claims.Keys, k => k.EndsWith(Email, StringComparison.Ordinal));

        await world.PersonalData.EraseAsync(Email, EraseMode.Anonymise, keepText: true, "en", default);

        Assert.DoesNotContain(world.Ledger.Claims.Keys, k => k.Contains(Email, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(world.Ledger.Claims.Keys, k => k.EndsWith("owner@blog.example.com", StringComparison.Ordinal)); // the owner's alerts stay
    }

    [Fact]
    public async Task Chunks_left_by_a_writer_that_lost_a_race_are_swept()
    {
        var world = new CoreWorld();
        await world.PostAsync(CoreWorld.Form(thread: "/race/", email: Email, author: "Erin", body: "Chunked"), Client);
        // A loser's chunk: saved before its commit failed, named by no state, holding the comment as it was.
        var key = ThreadKey.For("/race/");
        await world.Views.SaveChunkAsync(key, "deadbeef", System.Text.Encoding.UTF8.GetBytes("[{\"author\":\"Erin\",\"body\":\"Chunked\"}]"), default);

        await world.PersonalData.EraseAsync(Email, EraseMode.Delete, keepText: false, "en", default);

        Assert.DoesNotContain(world.Views.Chunks, c => System.Text.Encoding.UTF8.GetString(c.Value).Contains("Erin"));
    }
}
