using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServerlessComments.Notifications;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

/// <summary>Emails end to end: real HTTP, both queues, the processor and the sender, with a
/// recording SendGrid on loopback.</summary>
[Collection(StorageCollection.Name)]
public sealed partial class NotificationTests(AzuriteFixture azurite)
{
    private const string Owner = "owner@blog.example.com";
    private const string Secret = "a-link-secret-of-at-least-32-characters!";

    private Task<SelfHost> StartAsync(FakeSendGrid sendGrid, params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string>
        {
            ["Admin__ApiKey"] = Api.AdminKey,
            ["SendGrid__ApiKey"] = "SG.test-key",
            ["SendGrid__Host"] = sendGrid.BaseUrl.ToString().TrimEnd('/'),
            ["Notifications__OwnerEmail"] = Owner,
            ["Notifications__FromEmail"] = "comments@blog.example.com",
            ["Notifications__SiteName"] = "Le blog",
            ["Notifications__LinkSecret"] = Secret,
            ["Notifications__Lang"] = "fr",
            ["Notifications__BlogUrl"] = "https://blog.example.com/",
            // Held comments reach the owner in a digest per period: a few seconds here.
            ["Notifications__HeldDigestMinutes"] = "0.05",
        };
        foreach (var (key, value) in settings)
            all[key] = value;
        return SelfHost.StartAsync(azurite.ConnectionString, all);
    }

    /// <summary>The reader does what double opt-in asks: opens the one confirmation email's link
    /// (a page that changes nothing) and presses its button.</summary>
    private static async Task ConfirmAsync(SelfHost host, FakeSendGrid sendGrid, string address)
    {
        await Eventually.HoldsAsync(() => Task.FromResult(sendGrid.To(address).Any(e => e.Categories.Contains("confirm"))), $"the confirmation email to {address}");
        var email = sendGrid.To(address).Single(e => e.Categories.Contains("confirm"));
        var link = LocalPath(LinkPattern().Matches(email.Text).Select(m => m.Value).Single(l => l.Contains("/api/confirm/")));
        var page = await host.Http.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<form method=\"post\"", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await host.Http.PostAsync(link.Replace("sig=", "sig=x"), null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Http.PostAsync(link, null)).StatusCode);
    }

    private static IEnumerable<FakeSendGrid.SentEmail> Replies(FakeSendGrid sendGrid, string address) =>
        sendGrid.To(address).Where(e => e.Categories.Contains("reply"));

    private static async Task EmailsSettledAsync(SelfHost host)
    {
        await host.DrainedAsync();
        await Eventually.HoldsAsync(async () => (await host.NotificationQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, "the email queue to drain");
    }

    [Fact]
    public async Task The_reference_thread_emails_each_reader_once_when_Manon_answers_and_the_owner_about_each_comment()
    {
        var seed = SeedThread.Load();
        await using var sendGrid = await FakeSendGrid.StartAsync();
        await using var host = await StartAsync(sendGrid, ("Moderation__Mode", "none"), ("Notifications__BlogUrl", new Uri(new Uri(seed.Page.Url), "/").ToString()));
        var ids = new Dictionary<string, string>();
        object Post(SeedThread.SeedComment c) => new
        {
            thread = seed.Page.Thread, pageUrl = seed.Page.Url, pageTitle = seed.Page.Title, lang = "fr",
            parentId = c.ParentKey is null ? null : ids[c.ParentKey], author = c.Author, email = c.Email, website = c.Website, body = c.Body,
            notifyOnReply = true,
        };
        foreach (var comment in seed.Comments.Where(c => c.ParentKey is null))
            ids[comment.Key] = await host.PostAcceptedAsync(Post(comment));
        foreach (var comment in seed.Comments.Where(c => c.ParentKey is null))
            await host.StoredAsync(ids[comment.Key]);
        // Double opt-in: each reader who asked confirms from the one email they got.
        foreach (var reader in seed.Comments.Where(c => c.ParentKey is null))
            await ConfirmAsync(host, sendGrid, reader.Email);
        foreach (var comment in seed.Comments.Where(c => c.ParentKey is not null))
            ids[comment.Key] = await host.PostAcceptedAsync(Post(comment));

        // 8 to the owner, 4 confirmations, 4 replies, and Manon (who ticked the box too) one confirmation.
        await Eventually.HoldsAsync(() => Task.FromResult(sendGrid.Sent.Count >= 17), "17 emails");
        await EmailsSettledAsync(host);

        Assert.Equal(17, sendGrid.Sent.Count);
        Assert.Equal(8, sendGrid.To(Owner).Count());
        foreach (var reader in seed.Comments.Where(c => c.ParentKey is null))
        {
            Assert.Equal(2, sendGrid.To(reader.Email).Count());
            var email = Assert.Single(Replies(sendGrid, reader.Email));
            var reply = seed.Comments.Single(c => c.ParentKey == reader.Key);
            Assert.Equal($"Manon a répondu à votre commentaire sur « {seed.Page.Title} »", email.Subject);
            Assert.Contains($"Bonjour {reader.Author},", email.Text);
            Assert.Contains(reply.Body, email.Text);
            Assert.Contains($"{seed.Page.Url}#comment-{ids[reply.Key]}", email.Text);
            Assert.Equal("List-Unsubscribe=One-Click", email.Headers["List-Unsubscribe-Post"]);
            Assert.Contains("/api/unsubscribe/" + ids[reader.Key] + "?", email.Headers["List-Unsubscribe"]);
        }
        Assert.Empty(Replies(sendGrid, "manon@example.com")); // never told about her own replies
    }

    [Fact]
    public async Task No_email_for_spam_or_held_replies_one_after_approval_none_after_unsubscribing()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync();
        await using var host = await StartAsync(sendGrid, ("Moderation__Mode", "none"), ("Spam__HoldWords", "casino"),
            ("Notifications__PublicBaseUrl", "http://127.0.0.1:1")); // links are built, not followed, here
        const string thread = "/notify/";
        var parent = await host.PostAcceptedAsync(With(Api.Comment(thread, "Question ?", author: "Lea", email: "lea@example.com"), notifyOnReply: true));
        await host.StoredAsync(parent);
        await ConfirmAsync(host, sendGrid, "lea@example.com");

        // A reader who did not ask hears nothing of replies.
        var quiet = await host.PostAcceptedAsync(Api.Comment(thread, "No emails, thanks", author: "Tom", email: "tom@example.com"));
        await host.StoredAsync(quiet);
        await host.PostAcceptedAsync(Api.Comment(thread, "Reply to Tom", author: "Max", email: "max@example.com", parentId: quiet));

        var spam = await host.PostAcceptedAsync(Api.Comment(thread, "Buy", author: "Bot", email: "bot@example.com", parentId: parent, hp: "x"));
        var held = await host.PostAcceptedAsync(Api.Comment(thread, "Try the casino", author: "Max", email: "max@example.com", parentId: parent));
        var self = await host.PostAcceptedAsync(Api.Comment(thread, "Answering myself", author: "Lea", email: "LEA@example.com", parentId: parent));
        await host.StoredAsync(spam);
        await host.StoredAsync(held);
        await host.StoredAsync(self);
        await EmailsSettledAsync(host);
        Assert.Empty(Replies(sendGrid, "lea@example.com"));
        Assert.Empty(sendGrid.To("tom@example.com"));
        // The owner hears of the two comments, the reply to Tom and Lea's own reply, and of the held
        // reply in the period's digest; never of spam.
        Assert.Equal(5, sendGrid.To(Owner).Count());
        Assert.DoesNotContain(sendGrid.To(Owner), e => e.Text.Contains("Buy"));
        Assert.Contains(sendGrid.To(Owner), e => e.Categories.Contains("owner-digest") && e.Subject.Contains("1 en attente de modération") && e.Text.Contains("Try the casino"));

        Assert.Equal(HttpStatusCode.OK, (await host.AdminAsync(HttpMethod.Post, $"comments/{held}/approve")).StatusCode);
        await Eventually.HoldsAsync(() => Task.FromResult(Replies(sendGrid, "lea@example.com").Any()), "the reply email after approval");
        await EmailsSettledAsync(host);
        var email = Assert.Single(Replies(sendGrid, "lea@example.com"));
        Assert.Contains("Max", email.Subject);

        // One click in the mail client (RFC 8058), then another reply: no email.
        var unsubscribe = email.Headers["List-Unsubscribe"].Trim('<', '>');
        var oneClick = await host.Http.PostAsync(LocalPath(unsubscribe), new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }));
        Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        var after = await host.PostAcceptedAsync(Api.Comment(thread, "Another answer", author: "Zoe", email: "zoe@example.com", parentId: parent));
        await host.StoredAsync(after);
        await EmailsSettledAsync(host);
        Assert.Single(Replies(sendGrid, "lea@example.com"));
    }

    [Fact]
    public async Task A_job_delivered_twice_sends_once_and_SendGrid_429_and_500_are_retried()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync();
        await using var host = await StartAsync(sendGrid, ("Moderation__Mode", "none"), ("Notifications__RetryDelaySeconds", "1"));
        var id = await host.PostAcceptedAsync(Api.Comment("/retry/", "Hello"));
        await Eventually.HoldsAsync(() => Task.FromResult(sendGrid.To(Owner).Any()), "the owner alert");
        await EmailsSettledAsync(host);

        var job = JsonSerializer.Serialize(new { kind = "owner", commentId = id }, JsonSerializerOptions.Web);
        await host.NotificationQueue.SendMessageAsync(job);
        await host.NotificationQueue.SendMessageAsync(job);
        await EmailsSettledAsync(host);
        Assert.Single(sendGrid.To(Owner));

        sendGrid.FailFirst.Enqueue(429);
        sendGrid.FailFirst.Enqueue(500);
        var second = await host.PostAcceptedAsync(Api.Comment("/retry/", "Second", email: "second@example.com"));
        await Eventually.HoldsAsync(() => Task.FromResult(sendGrid.To(Owner).Count() == 2), "the second alert after two failures", TimeSpan.FromSeconds(60));
        await EmailsSettledAsync(host);
        Assert.Equal(2, sendGrid.To(Owner).Count());
        Assert.True(sendGrid.Requests >= 4, $"{sendGrid.Requests} requests: expected the two failures and two emails");
        Assert.False(await host.NotificationPoisonQueue.ExistsAsync());
        Assert.Contains(second, sendGrid.To(Owner).Last().Text);
    }

    [Fact]
    public async Task An_email_that_keeps_failing_lands_in_the_poison_queue_and_replay_sends_it()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync();
        // Retries spent after one try: the job is set aside at once, not run again by the queue.
        sendGrid.FailFirst.Enqueue(503);
        await using var host = await StartAsync(sendGrid, ("Moderation__Mode", "none"), ("Notifications__MaxRetries", "0"));
        var id = await host.PostAcceptedAsync(Api.Comment("/mail-poison/", "Will this email survive?"));
        await Eventually.HoldsAsync(async () => await host.NotificationPoisonQueue.ExistsAsync() &&
                                                (await host.NotificationPoisonQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 1,
            "the email job to reach the poison queue");
        Assert.Empty(sendGrid.Sent);

        var (exitCode, output) = await host.RunCommandAsync("replay-poison");
        Assert.True(exitCode == 0, output);
        Assert.Contains($"Replayed 1 message(s) from '{host.NotificationPoisonQueue.Name}'", output);
        await Eventually.HoldsAsync(() => Task.FromResult(sendGrid.To(Owner).Any()), "the replayed email to be sent");
        Assert.Contains(id, Assert.Single(sendGrid.To(Owner)).Text);
    }

    [Fact]
    public async Task Signed_links_confirm_before_acting_and_altered_or_expired_links_change_nothing()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync();
        await using var host = await StartAsync(sendGrid, ("Moderation__Mode", "all"));
        var id = await host.PostAcceptedAsync(Api.Comment("/links/", "<script>alert(1)</script> & more", author: "<b>Eve</b>"));
        await Eventually.HoldsAsync(() => Task.FromResult(sendGrid.To(Owner).Any()), "the held-comment alert");
        var alert = sendGrid.To(Owner).Single();
        // User text is escaped in the HTML part.
        Assert.DoesNotContain("<script>", alert.Html);
        Assert.DoesNotContain("<b>Eve</b>", alert.Html);
        Assert.Contains("&lt;script&gt;", alert.Html);

        var links = LinkPattern().Matches(alert.Text).Select(m => m.Value).ToList();
        var approve = LocalPath(links.Single(l => l.Contains($"/api/moderate/{id}/approve?")));
        Assert.Contains(links, l => l.Contains($"/api/moderate/{id}/spam?"));
        Assert.Contains(links, l => l.Contains($"/api/moderate/{id}/delete?"));
        // And the console's reply form for this comment, behind the owner's sign-in.
        Assert.Contains(links, l => l.EndsWith($"/api/console#reply={id}"));

        // A GET (a mail scanner, a preview) only shows the confirmation page.
        var page = await host.Http.GetAsync(approve);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<form method=\"post\"", await page.Content.ReadAsStringAsync());
        Assert.Equal("pending", (await host.StoredAsync(id)).GetProperty("status").GetString());

        // Altered: another action with the same signature, another comment, a changed expiry.
        foreach (var altered in new[] { approve.Replace("/approve?", "/delete?"), approve.Replace(id, new string('0', 32)), Regex.Replace(approve, @"expires=\d+", "expires=99999999999") })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await host.Http.PostAsync(altered, null)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await host.Http.GetAsync(altered)).StatusCode);
        }
        // Expired, though correctly signed.
        var signer = new LinkSigner(Options.Create(new NotificationOptions { LinkSecret = Secret }), NullLogger<LinkSigner>.Instance);
        var expired = $"api/moderate/{id}/approve?{signer.Query("approve", id, DateTimeOffset.UtcNow.AddMinutes(-1))}";
        Assert.Equal(HttpStatusCode.Gone, (await host.Http.PostAsync(expired, null)).StatusCode);
        Assert.Equal("pending", (await host.StoredAsync(id)).GetProperty("status").GetString());

        var done = await host.Http.PostAsync(approve, null);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal("published", (await host.StoredAsync(id)).GetProperty("status").GetString());
        Assert.Equal(1, await host.CountAsync("/links/"));

        // The spam and delete links work the same way: a page first, then the button.
        var spam = LocalPath(links.Single(l => l.Contains($"/api/moderate/{id}/spam?")));
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync(spam)).StatusCode);
        Assert.Equal(1, await host.CountAsync("/links/"));
        Assert.Equal(HttpStatusCode.OK, (await host.Http.PostAsync(spam, null)).StatusCode);
        Assert.Equal("spam", (await host.StoredAsync(id)).GetProperty("status").GetString());
        Assert.Equal(0, await host.CountAsync("/links/"));

        var delete = LocalPath(links.Single(l => l.Contains($"/api/moderate/{id}/delete?")));
        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync(delete)).StatusCode);
        Assert.NotNull(await host.FindAsync(id));
        Assert.Equal(HttpStatusCode.OK, (await host.Http.PostAsync(delete, null)).StatusCode);
        Assert.Null(await host.FindAsync(id));
    }

    [Fact]
    public async Task The_unsubscribe_page_offers_this_comment_or_the_whole_site_and_a_GET_changes_nothing()
    {
        await using var sendGrid = await FakeSendGrid.StartAsync();
        await using var host = await StartAsync(sendGrid, ("Moderation__Mode", "none"));
        var parent = await host.PostAcceptedAsync(With(Api.Comment("/site-optout/", "Q", author: "Lea", email: "lea@example.com"), notifyOnReply: true));
        var other = await host.PostAcceptedAsync(With(Api.Comment("/site-optout-2/", "Q2", author: "Lea", email: "lea@example.com"), notifyOnReply: true));
        await host.StoredAsync(parent);
        await host.StoredAsync(other);
        await ConfirmAsync(host, sendGrid, "lea@example.com");
        await host.PostAcceptedAsync(Api.Comment("/site-optout/", "R1", author: "Max", email: "max@example.com", parentId: parent));
        await Eventually.HoldsAsync(() => Task.FromResult(Replies(sendGrid, "lea@example.com").Any()), "the first reply email");
        var unsubscribe = LocalPath(Replies(sendGrid, "lea@example.com").Single().Headers["List-Unsubscribe"].Trim('<', '>'));

        var page = await host.Http.GetAsync(unsubscribe);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("name=\"scope\" value=\"site\"", await page.Content.ReadAsStringAsync());
        var tampered = await host.Http.PostAsync(unsubscribe.Replace("sig=", "sig=x"), null);
        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);

        await host.PostAcceptedAsync(Api.Comment("/site-optout/", "R2", author: "Max", email: "max@example.com", parentId: parent));
        await Eventually.HoldsAsync(() => Task.FromResult(Replies(sendGrid, "lea@example.com").Count() == 2), "the second reply email (a GET unsubscribes nothing)");

        var all = await host.Http.PostAsync(unsubscribe, new FormUrlEncodedContent(new Dictionary<string, string> { ["scope"] = "site" }));
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        await host.PostAcceptedAsync(Api.Comment("/site-optout-2/", "R3", author: "Max", email: "max@example.com", parentId: other));
        await host.PostAcceptedAsync(Api.Comment("/site-optout/", "R4", author: "Max", email: "max@example.com", parentId: parent));
        await host.DrainedAsync();
        await EmailsSettledAsync(host);
        Assert.Equal(2, Replies(sendGrid, "lea@example.com").Count());
    }

    [Fact]
    public async Task Without_a_SendGrid_key_or_the_local_outbox_email_is_off_and_says_so()
    {
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Notifications__OwnerEmail"] = Owner, ["Moderation__Mode"] = "none", ["Notifications__Outbox"] = "false",
        });
        var health = JsonDocument.Parse(await host.Http.GetStringAsync("api/health")).RootElement;
        Assert.Equal("off", health.GetProperty("email").GetString());
        Assert.Contains("Email is off", host.Log);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync("dev/outbox")).StatusCode);

        await host.PostAcceptedAsync(Api.Comment("/email-off/", "Nobody is told"));
        await host.DrainedAsync();
        await Eventually.HoldsAsync(async () => (await host.NotificationQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, "the email job to be handled");
        await Eventually.HoldsAsync(() => Task.FromResult(host.Log.Contains("was not sent: email is off")), "the email to be said not sent");
        Assert.DoesNotContain("Sent the", host.Log);
        Assert.False(Directory.Exists(host.OutboxPath), "nothing is written anywhere");
        Assert.False(await host.NotificationPoisonQueue.ExistsAsync(), "email being off is not a failure");
    }

    [Fact]
    public async Task The_local_outbox_page_sends_no_cors_headers_even_when_every_origin_may_call_the_api()
    {
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string> { ["Cors__AllowedOrigins"] = "*" });
        async Task<HttpResponseMessage> From(string path)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("Origin", "https://evil.example");
            return await host.Http.SendAsync(request);
        }
        Assert.True((await From("api/health")).Headers.Contains("Access-Control-Allow-Origin"));
        var outbox = await From("dev/outbox");
        Assert.Equal(HttpStatusCode.OK, outbox.StatusCode);
        Assert.False(outbox.Headers.Contains("Access-Control-Allow-Origin"), "another origin must not read the outbox");
    }

    [Fact]
    public async Task Without_a_SendGrid_key_emails_go_to_the_local_outbox_and_its_page()
    {
        await using var host = await SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string>
        {
            ["Notifications__OwnerEmail"] = Owner, ["Moderation__Mode"] = "all", ["Notifications__LinkSecret"] = Secret,
            ["Notifications__HeldDigestMinutes"] = "0.05",
        });
        await host.PostAcceptedAsync(Api.Comment("/outbox/", "Hello outbox", author: "Ann & Co"));
        await Eventually.HoldsAsync(() => Task.FromResult(Directory.Exists(host.OutboxPath) && Directory.GetFiles(host.OutboxPath, "*.html").Length == 1), "an email in the outbox");

        var index = await host.Http.GetStringAsync("dev/outbox");
        var page = Regex.Match(index, "href=\"/(dev/outbox/[^\"]+\\.html)\"").Groups[1].Value;
        var email = await host.Http.GetStringAsync(page);
        Assert.Contains("Ann &amp; Co", email);
        Assert.Contains("Hello outbox", email);
        Assert.Contains("/api/moderate/", email); // the held comment's links, clickable
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync("dev/outbox/..%2F..%2Fetc%2Fpasswd")).StatusCode);
    }

    [Fact]
    public async Task A_send_that_throws_gives_its_claim_back_so_the_retry_sends_the_email()
    {
        var outbox = Path.Combine(Path.GetTempPath(), "serverlesscomments-blocked-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(outbox, "a file where the outbox folder should be"); // writing an email will throw
        try
        {
            await using var host = await SelfHost.StartAsync(azurite.ConnectionString, new Dictionary<string, string>
            {
                ["Notifications__OwnerEmail"] = Owner, ["Moderation__Mode"] = "none", ["Notifications__OutboxPath"] = outbox,
                ["AzureFunctionsJobHost__extensions__queues__maxDequeueCount"] = "1000",
            });
            await host.PostAcceptedAsync(Api.Comment("/throwing/", "Deliver me eventually"));
            await Eventually.HoldsAsync(async () => (await host.NotificationQueue.PeekMessageAsync()).Value is { DequeueCount: >= 2 },
                "the email job to fail at least twice");

            File.Delete(outbox);
            await Eventually.HoldsAsync(() => Task.FromResult(Directory.Exists(outbox) && Directory.GetFiles(outbox, "*.html").Length == 1),
                "the retried email in the outbox");
        }
        finally
        {
            if (File.Exists(outbox))
                File.Delete(outbox);
            if (Directory.Exists(outbox))
                Directory.Delete(outbox, recursive: true);
        }
    }

    private static object With(object comment, bool notifyOnReply)
    {
        var fields = JsonSerializer.SerializeToElement(comment, JsonSerializerOptions.Web).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
        fields["notifyOnReply"] = notifyOnReply;
        return fields;
    }

    /// <summary>A link from an email, made relative so it goes to this test's host.</summary>
    private static string LocalPath(string url) => new Uri(url).PathAndQuery.TrimStart('/');

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex LinkPattern();
}
