using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using ServerlessComments.Comments;
using ServerlessComments.Jobs;
using ServerlessComments.Notifications;
using ServerlessComments.Owner;

namespace ServerlessComments.Tests.Core;

/// <summary>The blog's email is not a tool for strangers: confirmations only for what readers can
/// see, quoting nothing they typed, capped per hour; held comments reach the owner as one digest
/// a period; nobody passes for the owner by name or address, or hides characters in a name.</summary>
public class EmailAbuseTests
{
    private static CommentForm Asking(CommentForm form, string? pageTitle = null)
    {
        form.NotifyOnReply = true;
        form.PageTitle = pageTitle;
        return form;
    }

    private static StoredComment Stored(CoreWorld world, string id) => world.Store.All.Single(c => c.Id == id);

    private static string Job(string kind, string id) => JsonSerializer.Serialize(new NotificationJob(kind, id), CommentJson.Options);

    private static CoreWorld World(string mode = "none")
    {
        var world = new CoreWorld();
        world.ModerationSettings.Mode = mode;
        world.NotificationSettings.BlogUrl = "https://blog.example.com/";
        world.NotificationSettings.SiteName = "Le blog de Manon";
        world.NotificationSettings.FromName = "Manon";
        world.NotificationSettings.FromEmail = "comments@blog.example.com";
        return world;
    }

    /// <summary>Lets the digest's period end, then sends what is due (twice: a digest queues the next one's check).</summary>
    private static async Task AfterThePeriodAsync(CoreWorld world)
    {
        world.Clock.Advance(TimeSpan.FromMinutes(world.NotificationSettings.HeldDigestMinutes));
        await world.SendEmailsAsync();
    }

    // 9. Confirmations

    [Fact]
    public async Task A_held_comment_asks_no_confirmation_until_the_owner_approves_it()
    {
        var world = World("all");
        var id = CoreWorld.Id(await world.PostAsync(Asking(CoreWorld.Form(author: "Lea", email: "victim@example.com"))));
        await world.SendEmailsAsync();
        await AfterThePeriodAsync(world);
        Assert.DoesNotContain(world.Mail.Sent, e => e.To == "victim@example.com");

        await world.Owner.DecideAsync(id, OwnerDecisions.Approve, default);
        await world.SendEmailsAsync();
        Assert.Equal("confirm", Assert.Single(world.Mail.Sent, e => e.To == "victim@example.com").Kind);
    }

    [Fact]
    public async Task The_confirmation_quotes_nothing_the_reader_typed()
    {
        var world = World();
        const string name = "Cheap pills at pills.example.net, call 555-0100";
        const string title = "You won a prize: claim it at prize.example.net";
        await world.PostAsync(Asking(CoreWorld.Form(thread: "/claim-your-prize-at-prize-example-net/", author: name, email: "victim@example.com"), title));
        await world.SendEmailsAsync();

        var email = Assert.Single(world.Mail.Sent, e => e.To == "victim@example.com");
        foreach (var part in new[] { email.Subject, email.Text, email.Html })
        {
            Assert.DoesNotContain("pills", part);
            Assert.DoesNotContain("prize", part);
        }
        Assert.Contains("Le blog de Manon", email.Text);
        Assert.Contains("https://blog.example.com/", email.Text);
        Assert.Contains("/api/confirm/", email.Text);
    }

    [Fact]
    public async Task Confirmations_beyond_the_hourly_cap_wait_for_the_next_hour_and_are_not_dropped()
    {
        var world = World();
        world.NotificationSettings.ConfirmationsPerHour = 2;
        for (var i = 0; i < 3; i++)
            await world.PostAsync(Asking(CoreWorld.Form(body: "Question " + i, author: "R" + i, email: $"r{i}@example.com")));
        world.Jobs.Emails.Clear();
        world.Mail.Sent.Clear();
        foreach (var comment in world.Store.All)
            await world.Delivery.SendAsync(Job(NotificationJob.Confirm, comment.Id), default);

        Assert.Equal(2, world.Mail.Sent.Count(e => e.Kind == "confirm"));
        var waiting = Assert.Single(world.Jobs.Emails);
        Assert.Equal(NotificationJob.Confirm, waiting.Job.Kind);
        var nextHour = new DateTimeOffset(2026, 12, 1, 11, 0, 0, TimeSpan.Zero);
        Assert.True(waiting.Delay >= nextHour - world.Clock.GetUtcNow(), $"waits {waiting.Delay}");

        world.Clock.Advance(waiting.Delay!.Value);
        await world.SendEmailsAsync();
        Assert.Equal(3, world.Mail.Sent.Count(e => e.Kind == "confirm"));
        Assert.Equal(3, world.Mail.Sent.Select(e => e.To).Distinct().Count());
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(30, true)]
    public void The_hourly_cap_is_checked_at_start_up(int perHour, bool valid)
    {
        var options = new NotificationOptions { ConfirmationsPerHour = perHour };
        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true));
    }

    // 10. The owner's digest

    [Fact]
    public async Task Held_comments_of_a_period_reach_the_owner_as_one_digest_with_each_one_s_signed_links()
    {
        var world = World("all");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
            ids.Add(CoreWorld.Id(await world.PostAsync(CoreWorld.Form(body: "Spam run " + i, author: "Bot" + i, email: $"bot{i}@example.com"))));
        await world.SendEmailsAsync();
        Assert.Empty(world.Mail.Sent);

        await AfterThePeriodAsync(world);
        var digest = Assert.Single(world.Mail.Sent);
        Assert.Equal("owner-digest", digest.Kind);
        Assert.Equal(world.NotificationSettings.OwnerEmail, digest.To);
        foreach (var id in ids)
        {
            Assert.Contains($"/api/moderate/{id}/approve?", digest.Text);
            Assert.Contains($"/api/moderate/{id}/spam?", digest.Text);
        }

        // Nothing more, however often the queue delivers what it has.
        await AfterThePeriodAsync(world);
        await AfterThePeriodAsync(world);
        Assert.Single(world.Mail.Sent);
    }

    [Fact]
    public async Task Published_comments_keep_their_own_alert_unless_the_owner_puts_them_in_the_digest()
    {
        var world = World();
        await world.PostAsync(CoreWorld.Form(body: "Published at once"));
        await world.SendEmailsAsync();
        Assert.Equal("owner-new", Assert.Single(world.Mail.Sent).Kind);

        world.NotificationSettings.DigestPublished = true;
        world.Mail.Sent.Clear();
        await world.PostAsync(CoreWorld.Form(body: "Published, in the digest", email: "b@example.com"));
        await world.PostAsync(CoreWorld.Form(body: "Another", email: "c@example.com"));
        await world.SendEmailsAsync();
        Assert.Empty(world.Mail.Sent);
        await AfterThePeriodAsync(world);
        var digest = Assert.Single(world.Mail.Sent);
        Assert.Contains("Published, in the digest", digest.Text);
        Assert.Contains("Another", digest.Text);
    }

    [Fact]
    public async Task Two_senders_and_redeliveries_send_one_digest_a_period_and_each_held_comment_once()
    {
        var world = World("all");
        var first = CoreWorld.Id(await world.PostAsync(CoreWorld.Form(body: "First held", email: "a@example.com")));
        var second = CoreWorld.Id(await world.PostAsync(CoreWorld.Form(body: "Second held", email: "b@example.com")));
        // Every owner job delivered twice, and by two instances.
        await world.Delivery.SendAsync(Job(NotificationJob.Owner, first), default);
        await world.Delivery.SendAsync(Job(NotificationJob.Owner, second), default);
        await world.SendEmailsAsync();
        var digestJobs = world.Jobs.Emails.Where(j => j.Job.Kind == NotificationJob.Digest).ToList();
        Assert.NotEmpty(digestJobs);

        world.Clock.Advance(TimeSpan.FromMinutes(world.NotificationSettings.HeldDigestMinutes));
        var job = JsonSerializer.Serialize(digestJobs[0].Job, CommentJson.Options);
        await Task.WhenAll(world.Delivery.SendAsync(job, default), world.Delivery.SendAsync(job, default));
        await world.SendEmailsAsync();
        var digest = Assert.Single(world.Mail.Sent);
        Assert.Contains("First held", digest.Text);
        Assert.Contains("Second held", digest.Text);

        // A late redelivery of an owner job whose comment was in that digest: not in a second one.
        await world.Delivery.SendAsync(Job(NotificationJob.Owner, first), default);
        var third = CoreWorld.Id(await world.PostAsync(CoreWorld.Form(body: "Third held", email: "c@example.com")));
        await world.SendEmailsAsync();
        await AfterThePeriodAsync(world);
        await AfterThePeriodAsync(world);
        Assert.Equal(2, world.Mail.Sent.Count);
        var next = world.Mail.Sent.Last();
        Assert.Contains(third, next.Text);
        Assert.DoesNotContain("First held", next.Text);
    }

    [Fact]
    public async Task A_digest_whose_send_failed_is_retried_with_every_comment_it_had()
    {
        var world = World("all");
        for (var i = 0; i < 3; i++)
            await world.PostAsync(CoreWorld.Form(body: "Held " + i, email: $"h{i}@example.com"));
        await world.SendEmailsAsync();
        world.Mail.Answer = _ => new SendResult(false, TimeSpan.FromSeconds(30), "SendGrid 503");
        await AfterThePeriodAsync(world);
        Assert.Empty(world.Mail.Sent);

        world.Mail.Answer = null;
        await world.SendEmailsAsync();
        var digest = Assert.Single(world.Mail.Sent);
        for (var i = 0; i < 3; i++)
            Assert.Contains("Held " + i, digest.Text);
    }

    // 15. Passing for the owner

    [Theory]
    [InlineData("Owner@Blog.Example.com", "Ann", "the owner's address")]
    [InlineData("comments@blog.example.com", "Ann", "the blog's From address")]
    [InlineData("ann@example.com", "Manon", "the owner's name")]
    public async Task A_reader_using_the_owner_s_address_or_name_is_held_with_the_reason_and_never_a_known_author(string email, string author, string reason)
    {
        var world = World("first-time");
        // The owner replied before (the console marks the owner's signature as known), and the
        // reader once had a comment published under this address and name.
        await world.Authors.MarkKnownAuthorAsync(world.NotificationSettings.OwnerEmail, "Manon", default);
        await world.Authors.MarkKnownAuthorAsync(email, author, default);

        var stored = Stored(world, CoreWorld.Id(await world.PostAsync(CoreWorld.Form(author: author, email: email))));
        Assert.Equal(CommentStatus.Pending, stored.Status);
        Assert.False(stored.ByOwner);
        Assert.Contains(stored.Reasons, r => r.Contains("looks like the owner") && r.Contains(reason));

        // The console does not call them a known author either.
        var inbox = new OwnerInbox(world.Store, world.Authors, new Moderation.OwnerIdentity(Microsoft.Extensions.Options.Options.Create(world.NotificationSettings)));
        Assert.True((await inbox.DetailAsync(stored.Id, default))!.NewAuthor);

        world.ModerationSettings.Mode = "none";
        var again = Stored(world, CoreWorld.Id(await world.PostAsync(CoreWorld.Form(body: "Again", author: author, email: email))));
        Assert.Equal(CommentStatus.Pending, again.Status);
    }

    // 16. Names

    [Theory]
    [InlineData("Alice\u202E", "Alice")]
    [InlineData("\u202Aevil\u202C Bob", "evil Bob")]
    [InlineData("\u2066Bob\u2069", "Bob")]
    [InlineData("Ma\u200Bnon\u200D\uFEFF", "Manon")]
    [InlineData("Le\u200E\u200F\u061C\u2060a", "Lea")]
    [InlineData("\u200B\u202E", null)]
    public void Bidi_controls_and_zero_width_characters_leave_a_name_where_it_enters(string name, string? expected)
    {
        var form = CoreWorld.Form(author: name);
        var result = CommentValidator.Validate(form, CommentId.New(DateTimeOffset.UnixEpoch), DateTimeOffset.UnixEpoch);
        if (expected is null)
            Assert.Contains("author", result.Errors.Keys);
        else
            Assert.Equal(expected, result.Submission!.Author);
    }

    [Fact]
    public async Task An_imported_name_loses_them_too()
    {
        var world = World();
        var file = ImportTests.Wxr(ImportTests.Comment(1, author: "Sandrine\u202E") + ImportTests.Comment(2, author: "\u2066Ma\u200Bnon\u2069", email: "m@example.com"));
        await world.Importing.ImportAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(file)), new Import.ImportOptions(), default);
        var authors = world.Store.All.Select(c => c.Author).Order(StringComparer.Ordinal).ToList();
        Assert.Equal("Manon", authors[0]);
        Assert.Equal("Sandrine", authors[1]);
    }

    [Theory]
    [InlineData("MANON")]
    [InlineData("Mänon")]
    [InlineData("Ｍａｎｏｎ")]
    [InlineData("M\u0430non")] // Cyrillic а
    [InlineData("Ma\u200Bnon")]
    [InlineData(" manon ")]
    public async Task A_name_that_is_the_owner_s_once_normalised_is_held(string name)
    {
        var world = World();
        var stored = Stored(world, CoreWorld.Id(await world.PostAsync(CoreWorld.Form(author: name))));
        Assert.Equal(CommentStatus.Pending, stored.Status);
        Assert.Contains(stored.Reasons, r => r.Contains("the owner's name"));
    }

    [Theory]
    [InlineData("Manon Dupont")]
    [InlineData("Marion")]
    public async Task Other_names_are_not_the_owner_s(string name)
    {
        var world = World();
        var stored = Stored(world, CoreWorld.Id(await world.PostAsync(CoreWorld.Form(author: name))));
        Assert.Equal(CommentStatus.Published, stored.Status);
    }
}
