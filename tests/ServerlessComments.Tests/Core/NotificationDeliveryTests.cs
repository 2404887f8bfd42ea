using System.Text.Json;
using ServerlessComments.Comments;
using ServerlessComments.Jobs;
using ServerlessComments.Notifications;

namespace ServerlessComments.Tests.Core;

/// <summary>Delivering emails, in-process: each email once, and never lost to a claim that
/// outlived its sender.</summary>
public class NotificationDeliveryTests
{
    private static string Job(string kind, string id) => JsonSerializer.Serialize(new NotificationJob(kind, id), CommentJson.Options);

    [Fact]
    public async Task A_job_delivered_twice_sends_once()
    {
        var world = new CoreWorld();
        var id = CoreWorld.Id(await world.PostAsync(CoreWorld.Form()));
        await world.Delivery.SendAsync(Job(NotificationJob.Owner, id), default);
        await world.Delivery.SendAsync(Job(NotificationJob.Owner, id), default);
        Assert.Single(world.Mail.Sent);
    }

    [Fact]
    public async Task A_claim_whose_sender_crashed_runs_out_and_the_email_is_sent_after_all()
    {
        var world = new CoreWorld();
        var id = CoreWorld.Id(await world.PostAsync(CoreWorld.Form()));
        // A sender claimed the email and died before sending it (the claim is all it left).
        Assert.Equal(EmailClaim.Claimed, await world.Ledger.TryClaimAsync(id, NotificationJob.Owner, world.NotificationSettings.OwnerEmail, NotificationDelivery.ClaimLease, default));

        // Delivered again while the lease holds: not sent twice at once, looked at again later.
        world.Jobs.Emails.Clear();
        await world.Delivery.SendAsync(Job(NotificationJob.Owner, id), default);
        Assert.Empty(world.Mail.Sent);
        var later = Assert.Single(world.Jobs.Emails);
        Assert.Equal(NotificationDelivery.ClaimLease, later.Delay);

        // Once the lease has run out, the redelivery sends it, and only once.
        world.Clock.Advance(NotificationDelivery.ClaimLease + TimeSpan.FromSeconds(1));
        await world.SendEmailsAsync();
        await world.Delivery.SendAsync(Job(NotificationJob.Owner, id), default);
        Assert.Single(world.Mail.Sent);
    }

    [Fact]
    public async Task A_send_that_failed_gives_its_claim_back_and_the_retry_sends()
    {
        var world = new CoreWorld();
        var id = CoreWorld.Id(await world.PostAsync(CoreWorld.Form()));
        world.Mail.Answer = _ => new SendResult(false, TimeSpan.FromSeconds(10), "SendGrid 503");
        world.Jobs.Emails.Clear();
        await world.Delivery.SendAsync(Job(NotificationJob.Owner, id), default);
        Assert.Equal(TimeSpan.FromSeconds(10), Assert.Single(world.Jobs.Emails).Delay);
        world.Mail.Answer = null;
        await world.SendEmailsAsync();
        Assert.Single(world.Mail.Sent);
    }

    [Fact]
    public async Task An_email_that_will_not_pass_is_tried_once_and_set_aside_not_retried()
    {
        var world = new CoreWorld();
        var id = CoreWorld.Id(await world.PostAsync(CoreWorld.Form()));
        var tries = 0;
        world.Mail.Answer = _ => { tries++; return new SendResult(false, null, "SMTP 554 refused"); };
        world.Jobs.Emails.Clear();
        await world.Delivery.SendAsync(Job(NotificationJob.Owner, id), default); // does not throw: the queue must not run it again
        Assert.Equal(1, tries);
        Assert.Empty(world.Jobs.Emails);
        Assert.Equal(id, Assert.Single(world.Jobs.ParkedEmails).CommentId);

        // Replayed once the cause is fixed, it is sent (its claim was given back).
        world.Mail.Answer = null;
        await world.Delivery.SendAsync(JsonSerializer.Serialize(world.Jobs.ParkedEmails.Single(), CommentJson.Options), default);
        Assert.Single(world.Mail.Sent);
    }

    [Fact]
    public async Task Every_try_at_one_email_carries_the_same_key_and_another_email_another()
    {
        var world = new CoreWorld();
        var first = CoreWorld.Id(await world.PostAsync(CoreWorld.Form()));
        var second = CoreWorld.Id(await world.PostAsync(CoreWorld.Form(body: "Another one", email: "bob@example.com")));
        var tries = new List<Email>();
        world.Mail.Answer = email =>
        {
            tries.Add(email);
            return tries.Count == 1 ? new SendResult(false, TimeSpan.Zero, "dropped mid-message") : SendResult.Ok;
        };
        world.Jobs.Emails.Clear();
        await world.Delivery.SendAsync(Job(NotificationJob.Owner, first), default);
        await world.SendEmailsAsync();
        await world.Delivery.SendAsync(Job(NotificationJob.Owner, second), default);

        Assert.Equal(3, tries.Count);
        Assert.All(tries, t => Assert.False(string.IsNullOrEmpty(t.Key)));
        Assert.Equal(tries[0].Key, tries[1].Key); // a retry: an SMTP server sees the same Message-ID
        Assert.NotEqual(tries[1].Key, tries[2].Key);
    }
}

/// <summary>Reply emails are double opt-in, about published comments only, and link only to the blog.</summary>
public class ReplyEmailTests
{
    private static CommentForm Asking(CommentForm form)
    {
        form.NotifyOnReply = true;
        return form;
    }

    private static CommentForm From(CommentForm form, string pageUrl)
    {
        form.PageUrl = pageUrl;
        return form;
    }

    private static async Task<CoreWorld> WorldAsync()
    {
        var world = new CoreWorld();
        world.NotificationSettings.BlogUrl = "https://blog.example.com/";
        await Task.CompletedTask;
        return world;
    }

    [Fact]
    public async Task An_address_that_asks_gets_one_confirmation_and_no_reply_email_until_it_confirms()
    {
        var world = await WorldAsync();
        var lea = CoreWorld.Id(await world.PostAsync(Asking(CoreWorld.Form(body: "Question ?", author: "Lea", email: "lea@example.com"))));
        var again = CoreWorld.Id(await world.PostAsync(Asking(CoreWorld.Form(body: "Encore une", author: "Lea", email: "lea@example.com"))));
        await world.PostAsync(CoreWorld.Form(body: "Réponse", author: "Max", email: "max@example.com", parentId: lea));
        await world.SendEmailsAsync();
        await world.SendEmailsAsync();

        var confirmation = Assert.Single(world.Mail.Sent, e => e.To == "lea@example.com");
        Assert.Equal("confirm", confirmation.Kind);
        Assert.Contains($"/api/confirm/{lea}?", confirmation.Text);

        await world.Authors.ConfirmRepliesAsync("lea@example.com", default);
        await world.PostAsync(CoreWorld.Form(body: "Autre réponse", author: "Zoe", email: "zoe@example.com", parentId: again));
        await world.SendEmailsAsync();
        var after = world.Mail.Sent.Where(e => e.To == "lea@example.com").ToList();
        Assert.Equal(["confirm", "reply"], after.Select(e => e.Kind));
        Assert.Contains("Autre réponse", after[1].Text);
    }

    [Fact]
    public async Task Someone_typing_another_person_s_address_on_many_comments_sends_them_one_confirmation_a_period()
    {
        var world = await WorldAsync();
        for (var i = 0; i < 5; i++)
            await world.PostAsync(Asking(CoreWorld.Form(body: "Spam " + i, author: "X" + i, email: "victim@example.com")));
        await world.SendEmailsAsync();
        Assert.Single(world.Mail.Sent, e => e.To == "victim@example.com");

        // A confirmation link dies after its period: the next asking comment gets a new one, not before.
        world.Clock.Advance(LinkSigner.ConfirmLifetime);
        await world.PostAsync(Asking(CoreWorld.Form(body: "Later", author: "X", email: "victim@example.com")));
        await world.SendEmailsAsync();
        Assert.Equal(2, world.Mail.Sent.Count(e => e.To == "victim@example.com"));
    }

    [Fact]
    public async Task A_site_wide_opt_out_gets_no_confirmation_either()
    {
        var world = await WorldAsync();
        await world.Authors.OptOutOfRepliesAsync("lea@example.com", default);
        await world.PostAsync(Asking(CoreWorld.Form(author: "Lea", email: "lea@example.com")));
        await world.SendEmailsAsync();
        Assert.DoesNotContain(world.Mail.Sent, e => e.To == "lea@example.com");
    }

    [Theory]
    [InlineData("held")]
    [InlineData("spam")]
    [InlineData("deleted")]
    public async Task A_reply_to_a_comment_readers_cannot_see_emails_nobody_but_the_owner(string fate)
    {
        var world = await WorldAsync();
        var parent = CoreWorld.Id(await world.PostAsync(Asking(CoreWorld.Form(body: "Question ?", author: "Lea", email: "lea@example.com"))));
        await world.Authors.ConfirmRepliesAsync("lea@example.com", default);
        var stored = world.Store.All.Single(c => c.Id == parent);
        if (fate == "deleted")
            await world.Store.DeleteAsync(stored, default);
        else
            await world.Store.SaveStatusAsync(stored with { Status = fate == "spam" ? CommentStatus.Spam : CommentStatus.Pending }, default);
        world.Mail.Sent.Clear();
        world.Jobs.Emails.Clear();

        // Replies the acceptance lets through (a deleted parent is refused before that): stored as
        // published, as the owner's own would be.
        var reply = StoredComment.From(new CommentSubmission
        {
            Id = CommentId.New(world.Clock.GetUtcNow()), Thread = "/post/", ParentId = parent, Author = "Max", Email = "max@example.com",
            Body = "Réponse", CreatedAt = world.Clock.GetUtcNow(),
        }, CommentStatus.Published, ["test"]);
        await world.Store.AddOnceAsync(reply, default);
        await world.Delivery.SendAsync(JsonSerializer.Serialize(new NotificationJob(NotificationJob.Reply, reply.Id), CommentJson.Options), default);
        await world.SendEmailsAsync();
        Assert.DoesNotContain(world.Mail.Sent, e => e.To == "lea@example.com");
    }

    [Theory]
    [InlineData("https://blog.example.com/post/?utm=1#top", "https://blog.example.com/post/?utm=1#comment-")]
    [InlineData("https://evil.example.net/post/", "https://blog.example.com/post/#comment-")]
    [InlineData("https://blog.example.com.evil.example.net/post/", "https://blog.example.com/post/#comment-")]
    [InlineData("http://blog.example.com/post/", "https://blog.example.com/post/#comment-")]
    public async Task Links_in_emails_point_to_the_blog_whatever_page_address_the_reader_sent(string pageUrl, string expected)
    {
        var world = await WorldAsync();
        var parent = CoreWorld.Id(await world.PostAsync(Asking(CoreWorld.Form(author: "Lea", email: "lea@example.com"))));
        await world.Authors.ConfirmRepliesAsync("lea@example.com", default);
        var reply = CoreWorld.Id(await world.PostAsync(From(CoreWorld.Form(body: "Réponse", author: "Max", email: "max@example.com", parentId: parent, website: "https://evil.example.net/w"), pageUrl)));
        await world.SendEmailsAsync();

        var email = Assert.Single(world.Mail.Sent, e => e.Kind == "reply");
        Assert.Contains(expected + reply, email.Text);
        var owner = world.Mail.Sent.Single(e => e.Kind == "owner-new" && e.Text.Contains("Réponse"));
        foreach (var mail in new[] { email, owner })
        {
            Assert.DoesNotContain("evil.example.net/post", mail.Html);
            Assert.DoesNotContain("href=\"https://evil.example.net/w\"", mail.Html); // the website is text, not a link
            Assert.DoesNotContain("javascript:", mail.Html);
        }
    }

    [Fact]
    public async Task A_thread_that_is_not_a_path_links_to_the_blog_s_home_and_without_a_blog_address_there_is_no_link()
    {
        var world = await WorldAsync();
        await world.PostAsync(From(CoreWorld.Form(thread: "//evil.example.net/x"), "https://evil.example.net/x"));
        await world.SendEmailsAsync();
        var alert = Assert.Single(world.Mail.Sent);
        Assert.Contains("https://blog.example.com/\n", alert.Text.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("evil.example.net/x#", alert.Text);

        world.NotificationSettings.BlogUrl = "";
        world.Mail.Sent.Clear();
        await world.PostAsync(From(CoreWorld.Form(body: "Other"), "https://evil.example.net/x"));
        await world.SendEmailsAsync();
        Assert.DoesNotContain("http", Assert.Single(world.Mail.Sent).Text.Replace(world.NotificationSettings.PublicBaseUrl, ""));
    }
}
