using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServerlessComments.Accepting;
using ServerlessComments.Notifications;
using ServerlessComments.PersonalData;

namespace ServerlessComments.Tests.Core;

/// <summary>A reader's own way to their data: the link arrives only for an address with comments,
/// once per period per address, the same answer for any address; the link opens nothing when
/// altered or late, and an erase uses it up.</summary>
public sealed class YourDataTests
{
    private const string Reader = "rita@example.com";
    private static readonly ClientInfo Client = new("192.0.2.7", "Browser/1", null);

    private sealed class World
    {
        public readonly CoreWorld Core = new();
        public readonly InMemoryAttemptCounters Counters = new();
        public readonly InMemoryOwnerTokens Tokens = new();
        public readonly YourDataOptions Settings = new();

        public YourDataRequests Service
        {
            get
            {
                var notifications = Options.Create(Core.NotificationSettings);
                return new YourDataRequests(Core.PersonalData, Core.Authors, Core.Guards, Counters, new GuardKeys(notifications), Core.Jobs, Core.Ledger, Core.Mail,
                    Tokens, new LinkSigner(notifications, NullLogger<LinkSigner>.Instance), Options.Create(Settings), notifications, Core.Clock, NullLogger<YourDataRequests>.Instance);
            }
        }

        /// <summary>Asks from its own client address, then runs the queued email jobs as the email worker would.</summary>
        public async Task<TimeSpan?> AskAsync(string email, string ip = "198.51.100.1", string? lang = "en")
        {
            var wait = await Service.RequestLinkAsync(email, lang, ip, default);
            while (Core.Jobs.Emails.TryDequeue(out var queued))
            {
                if (queued.Job.Kind == YourDataRequests.Kind) // not the owner's alerts about the posted comments
                    await Service.SendLinkAsync(queued.Job.CommentId, default);
            }
            return wait;
        }

        public string LastToken()
        {
            var mail = Core.Mail.Sent.Last();
            var start = mail.Text.IndexOf("?t=", StringComparison.Ordinal) + 3;
            return mail.Text[start..].Split('\n', '\r', ' ')[0];
        }
    }

    [Fact]
    public async Task A_link_goes_to_an_address_with_comments_and_nothing_to_one_without()
    {
        var world = new World();
        await world.Core.PostAsync(CoreWorld.Form(email: "Rita@Example.com", author: "Rita"), Client);

        Assert.Null(await world.AskAsync("nobody@example.com"));
        Assert.Empty(world.Core.Mail.Sent);
        Assert.Null(await world.AskAsync(Reader, ip: "198.51.100.2"));

        var mail = Assert.Single(world.Core.Mail.Sent);
        Assert.Equal(Reader, mail.To);
        Assert.Contains(YourDataRequests.Path + "?t=", mail.Text);
        Assert.DoesNotContain("rita", mail.Text.Split("?t=")[1], StringComparison.OrdinalIgnoreCase); // the address is sealed, not in clear
    }

    [Fact]
    public async Task The_queue_never_holds_the_address_in_clear()
    {
        var world = new World();
        await world.Service.RequestLinkAsync(Reader, "en", "198.51.100.1", default);
        var (job, _) = Assert.Single(world.Core.Jobs.Emails, e => e.Job.Kind == YourDataRequests.Kind);
        Assert.DoesNotContain("rita", System.Text.Json.JsonSerializer.Serialize(job), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task One_client_asks_once_per_window_and_one_address_gets_one_email_per_period()
    {
        var world = new World();
        await world.Core.PostAsync(CoreWorld.Form(email: Reader), Client);

        Assert.Null(await world.AskAsync(Reader, ip: "198.51.100.1"));
        Assert.NotNull(await world.AskAsync(Reader, ip: "198.51.100.1")); // the same client at once: wait
        // Others asking for the same address (an attacker with many addresses): no second email this period.
        for (var i = 2; i < 12; i++)
            Assert.Null(await world.AskAsync(Reader, ip: $"198.51.100.{i}"));
        Assert.Single(world.Core.Mail.Sent);

        world.Core.Clock.Advance(YourDataRequests.LinkLifetime);
        Assert.Null(await world.AskAsync(Reader, ip: "203.0.113.9"));
        Assert.Equal(2, world.Core.Mail.Sent.Count);
    }

    [Fact]
    public async Task The_site_sends_at_most_its_hourly_cap()
    {
        var world = new World();
        world.Settings.EmailsPerHour = 2;
        for (var i = 0; i < 4; i++)
            await world.Core.PostAsync(CoreWorld.Form(email: $"r{i}@example.com", body: "Hello " + i), Client);
        for (var i = 0; i < 4; i++)
            await world.AskAsync($"r{i}@example.com", ip: $"198.51.100.{i}");
        Assert.Equal(2, world.Core.Mail.Sent.Count);
    }

    [Fact]
    public async Task The_download_holds_the_readers_comments_and_nobody_elses()
    {
        var world = new World();
        await world.Core.PostAsync(CoreWorld.Form(email: Reader, author: "Rita", body: "Mine"), Client);
        await world.Core.PostAsync(CoreWorld.Form(email: "other@example.com", author: "Otto", body: "Not hers"), Client);
        // She edited it once: the text she replaced is stored about her too.
        var mine = world.Core.Store.All.Single(c => c.Author == "Rita");
        await world.Core.Store.SaveStatusAsync(mine with { Body = "Mine", EditedAt = mine.CreatedAt.AddMinutes(2), History = [new(mine.CreatedAt, "Mien, first draft")] }, default);
        await world.AskAsync(Reader);

        var (check, comments) = await world.Service.DownloadAsync(world.LastToken(), default);

        Assert.Equal(YourDataRequests.LinkCheck.Valid, check);
        var only = Assert.Single(comments!);
        Assert.Equal("Mine", only.Body);
        Assert.Equal("Mien, first draft", Assert.Single(only.History!).Body);
        Assert.DoesNotContain("Otto", System.Text.Json.JsonSerializer.Serialize(comments));
    }

    [Fact]
    public async Task An_altered_link_is_tampered_a_late_one_expired_and_neither_changes_anything()
    {
        var world = new World();
        await world.Core.PostAsync(CoreWorld.Form(email: Reader), Client);
        await world.AskAsync(Reader);
        var token = world.LastToken();
        var altered = token[..20] + (token[20] == 'A' ? 'B' : 'A') + token[21..];

        Assert.Equal(YourDataRequests.LinkCheck.Tampered, (await world.Service.EraseAsync(altered, EraseMode.Delete, false, default)).Check);
        Assert.Equal(YourDataRequests.LinkCheck.Tampered, (await world.Service.DownloadAsync("not-a-link", default)).Check);
        Assert.Single(world.Core.Store.All);

        world.Core.Clock.Advance(YourDataRequests.LinkLifetime + TimeSpan.FromSeconds(1));
        Assert.Equal(YourDataRequests.LinkCheck.Expired, (await world.Service.EraseAsync(token, EraseMode.Delete, false, default)).Check);
        Assert.Equal(YourDataRequests.LinkCheck.Expired, await world.Service.StopEmailsAsync(token, default));
        Assert.Single(world.Core.Store.All);
        Assert.False(await world.Core.Authors.HasOptedOutOfRepliesAsync(Reader, default));
    }

    [Fact]
    public async Task Stop_emails_is_the_site_wide_opt_out_and_can_be_repeated()
    {
        var world = new World();
        await world.Core.PostAsync(CoreWorld.Form(email: Reader), Client);
        await world.AskAsync(Reader);
        Assert.Equal(YourDataRequests.LinkCheck.Valid, await world.Service.StopEmailsAsync(world.LastToken(), default));
        Assert.Equal(YourDataRequests.LinkCheck.Valid, await world.Service.StopEmailsAsync(world.LastToken(), default));
        Assert.True(await world.Core.Authors.HasOptedOutOfRepliesAsync(Reader, default));
    }

    [Fact]
    public async Task An_erase_leaves_nothing_and_uses_the_link_up_even_when_sent_twice_at_once()
    {
        var world = new World();
        await world.Core.PostAsync(CoreWorld.Form(email: Reader, author: "Rita"), Client);
        await world.AskAsync(Reader);
        var token = world.LastToken();

        var both = await Task.WhenAll(world.Service.EraseAsync(token, EraseMode.Delete, false, default),
            world.Service.EraseAsync(token, EraseMode.Delete, false, default));

        Assert.Single(both, r => r.Check == YourDataRequests.LinkCheck.Valid);
        Assert.Single(both, r => r.Check == YourDataRequests.LinkCheck.Used);
        Assert.Empty(world.Core.Store.All);
        Assert.Equal(YourDataRequests.LinkCheck.Used, (await world.Service.DownloadAsync(token, default)).Check);
        Assert.Equal(YourDataRequests.LinkCheck.Used, await world.Service.StopEmailsAsync(token, default));
    }

    [Fact]
    public async Task The_email_is_in_the_readers_language()
    {
        var world = new World();
        await world.Core.PostAsync(CoreWorld.Form(email: Reader), Client);
        await world.AskAsync(Reader, lang: "fr");
        Assert.Contains("données", Assert.Single(world.Core.Mail.Sent).Subject);
    }
}
