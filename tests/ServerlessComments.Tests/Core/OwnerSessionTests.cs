using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServerlessComments.Accepting;
using ServerlessComments.Jobs;
using ServerlessComments.Notifications;
using ServerlessComments.Owner;

namespace ServerlessComments.Tests.Core;

/// <summary>The console's sessions and sign-in links, in-process: what a cookie or a link is worth as time passes and keys change.</summary>
public class OwnerSessionTests
{
    private const string Key = "the-admin-key-of-the-owner-000000";
    private const string Secret = "a-link-secret-of-at-least-32-characters!";

    private static OwnerSessions Sessions(CoreWorld world, string key = Key, string secret = Secret, InMemoryOwnerTokens? tokens = null,
        InMemoryOwnerSessionStore? store = null, InMemoryAttemptCounters? counters = null, AdminOptions? admin = null)
    {
        var notifications = Options.Create(new NotificationOptions { OwnerEmail = "owner@blog.example.com", LinkSecret = secret });
        admin ??= new AdminOptions();
        admin.ApiKey = key;
        var keys = new GuardKeys(notifications);
        counters ??= new InMemoryAttemptCounters();
        var attempts = new KeyAttempts(counters, keys, Options.Create(admin), world.Clock, NullLogger<KeyAttempts>.Instance);
        return new OwnerSessions(tokens ?? new InMemoryOwnerTokens(), store ?? new InMemoryOwnerSessionStore(), world.Guards, counters, attempts, keys, world.Jobs,
            new LinkSigner(notifications, NullLogger<LinkSigner>.Instance), notifications, Options.Create(admin),
            world.Clock, NullLogger<OwnerSessions>.Instance);
    }

    [Fact]
    public async Task A_session_ends_when_it_expires_is_altered_or_the_key_or_link_secret_is_rotated()
    {
        var world = new CoreWorld();
        var tokens = new InMemoryOwnerTokens();
        var store = new InMemoryOwnerSessionStore();
        var sessions = Sessions(world, tokens: tokens, store: store);
        var (session, _) = await sessions.SignInWithKeyAsync(Key, "198.51.100.1", "Firefox", default);
        var cookie = sessions.CookieValue(session!);
        Assert.NotNull(await sessions.ReadAsync(cookie, default));

        Assert.Null(await sessions.ReadAsync(cookie.Replace('.', ';'), default));
        var parts = cookie.Split('.');
        Assert.Null(await sessions.ReadAsync($"{parts[0]}.{parts[1]}.{long.Parse(parts[2]) + 86400 * 30}.{parts[3]}", default)); // a longer life, forged
        Assert.Null(await Sessions(world, key: Key + "-rotated", tokens: tokens, store: store).ReadAsync(cookie, default));
        Assert.Null(await Sessions(world, secret: Secret + "-rotated", tokens: tokens, store: store).ReadAsync(cookie, default));

        // Used within its 14 days it is renewed; left alone for 14 days it ends.
        world.Clock.Advance(TimeSpan.FromDays(2));
        var renewed = sessions.Renewal((await sessions.ReadAsync(cookie, default))!);
        Assert.NotNull(renewed);
        Assert.Equal(session!.Id, renewed.Id);
        world.Clock.Advance(TimeSpan.FromDays(13));
        Assert.Null(await sessions.ReadAsync(cookie, default));
        Assert.NotNull(await sessions.ReadAsync(sessions.CookieValue(renewed), default));

        await sessions.SignOutAsync(renewed, default);
        Assert.Null(await sessions.ReadAsync(sessions.CookieValue(renewed), default));
    }

    [Fact]
    public async Task A_link_is_sent_only_to_the_owner_works_once_and_dies_after_15_minutes()
    {
        var world = new CoreWorld();
        var sessions = Sessions(world);
        Assert.Null(await sessions.RequestLinkAsync("someone@example.com", "198.51.100.1", default));
        Assert.Empty(world.Jobs.Emails);
        Assert.NotNull(await sessions.RequestLinkAsync("owner@blog.example.com", "198.51.100.1", default)); // same client, too soon
        Assert.Null(await sessions.RequestLinkAsync(" OWNER@blog.example.com ", "198.51.100.2", default));
        var job = Assert.Single(world.Jobs.Emails).Job;
        Assert.Equal(NotificationJob.SignIn, job.Kind);
        // The same client, after its request window but within the minute: the same answer, no second email.
        world.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Null(await sessions.RequestLinkAsync("owner@blog.example.com", "198.51.100.2", default));
        Assert.Single(world.Jobs.Emails);

        var query = System.Web.HttpUtility.ParseQueryString(SignInLinks.Query(new LinkSigner(Options.Create(new NotificationOptions { LinkSecret = Secret }), NullLogger<LinkSigner>.Instance), job.CommentId));
        Assert.Equal(OwnerSessions.LinkCheck.Valid, sessions.Check(query["token"], query["expires"], query["sig"]));
        Assert.Equal(OwnerSessions.LinkCheck.Tampered, sessions.Check(query["token"], query["expires"], query["sig"] + "x"));
        var (first, _) = await sessions.UseLinkAsync(query["token"], query["expires"], query["sig"], "Firefox", default);
        Assert.NotNull(first);
        Assert.Equal(OwnerSessions.LinkCheck.Used, (await sessions.UseLinkAsync(query["token"], query["expires"], query["sig"], "Firefox", default)).Check);

        world.Clock.Advance(OwnerSessions.LinkLifetime + TimeSpan.FromSeconds(1));
        Assert.Equal(OwnerSessions.LinkCheck.Expired, sessions.Check(query["token"], query["expires"], query["sig"]));
    }
    [Fact]
    public async Task A_session_used_every_day_still_ends_at_its_absolute_limit()
    {
        var world = new CoreWorld();
        var sessions = Sessions(world, admin: new AdminOptions { SessionDays = 14, SessionMaxDays = 30 });
        var (session, _) = await sessions.SignInWithKeyAsync(Key, "198.51.100.1", "Firefox", default);
        var cookie = sessions.CookieValue(session!);
        // Used every two days, renewed each time: alive for 30 days, and not a second more.
        for (var day = 2; day < 30; day += 2)
        {
            world.Clock.Advance(TimeSpan.FromDays(2));
            var read = await sessions.ReadAsync(cookie, default);
            Assert.True(read is not null, $"the session should still work on day {day}");
            if (sessions.Renewal(read) is { } renewed)
                cookie = sessions.CookieValue(renewed);
        }
        world.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Null(await sessions.ReadAsync(cookie, default));
    }

    [Fact]
    public async Task Open_sessions_are_listed_with_their_browser_and_sign_out_everywhere_ends_them_all_and_the_purge_removes_expired_rows()
    {
        var world = new CoreWorld();
        var store = new InMemoryOwnerSessionStore();
        var sessions = Sessions(world, store: store);
        var (phone, _) = await sessions.SignInWithKeyAsync(Key, "198.51.100.1", "Phone browser", default);
        world.Clock.Advance(TimeSpan.FromHours(1));
        var (laptop, _) = await sessions.SignInWithKeyAsync(Key, "198.51.100.2", "Laptop browser", default);
        world.Clock.Advance(TimeSpan.FromHours(1));
        Assert.NotNull(await sessions.ReadAsync(sessions.CookieValue(phone!), default)); // the phone is used again: last used now

        var open = await sessions.ListAsync(default);
        Assert.Equal(["Phone browser", "Laptop browser"], open.Select(s => s.UserAgent));
        Assert.Equal(world.Clock.GetUtcNow(), open[0].LastUsedAt);
        Assert.Equal(world.Clock.GetUtcNow().AddHours(-2), open[0].CreatedAt);
        Assert.Equal(phone!.Handle, open[0].Handle);
        Assert.DoesNotContain(open, s => s.Handle.Contains(phone.Id, StringComparison.Ordinal));

        Assert.Equal(2, await sessions.SignOutEverywhereAsync(default));
        Assert.Null(await sessions.ReadAsync(sessions.CookieValue(phone), default));
        Assert.Null(await sessions.ReadAsync(sessions.CookieValue(laptop!), default));
        Assert.Empty(await sessions.ListAsync(default));

        var (later, _) = await sessions.SignInWithKeyAsync(Key, "198.51.100.1", "Phone browser", default);
        world.Clock.Advance(TimeSpan.FromDays(15)); // past its 14 days without use
        Assert.Single(store.Rows);
        Assert.True(await sessions.PurgeAsync(default) >= 1);
        Assert.Empty(store.Rows);
        Assert.Null(await sessions.ReadAsync(sessions.CookieValue(later!), default));
    }

    [Fact]
    public async Task Wrong_keys_wait_longer_and_longer_per_client_and_site_wide_and_the_right_key_waits_too()
    {
        var world = new CoreWorld();
        var sessions = Sessions(world, admin: new AdminOptions { KeyFailuresPerClient = 3, KeyFailuresSiteWide = 6 });
        const string guesser = "203.0.113.9";
        for (var i = 0; i < 3; i++)
            Assert.Equal((null, null), await sessions.SignInWithKeyAsync("guess" + i, guesser, null, default));
        // The fourth wrong key is answered; from then on each attempt waits 1 s, 2 s, 4 s…
        Assert.Equal((null, null), await sessions.SignInWithKeyAsync("guess3", guesser, null, default));
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            var (_, wait) = await sessions.SignInWithKeyAsync("guess", guesser, null, default);
            Assert.NotNull(wait);
            waits.Add(wait.Value);
            world.Clock.Advance(wait.Value);
            Assert.Equal((null, null), await sessions.SignInWithKeyAsync("guess", guesser, null, default));
        }
        Assert.Equal([1, 2, 4, 8], waits.Select(w => (int)w.TotalSeconds));
        // While this client waits, even the right key is refused: the answer must not tell a guess apart.
        var (refused, stillWaiting) = await sessions.SignInWithKeyAsync(Key, guesser, null, default);
        Assert.Null(refused);
        Assert.NotNull(stillWaiting);

        // Site-wide: 8 failures this hour are past the site's 6, so another client waits as well, for at most five minutes.
        var (_, siteWait) = await sessions.SignInWithKeyAsync("other", "198.51.100.77", null, default);
        Assert.NotNull(siteWait);
        Assert.True(siteWait <= KeyAttempts.SiteMaxDelay);
        Assert.Equal(KeyAttempts.ClientMaxDelay, KeyAttempts.Delay(100, 3, KeyAttempts.ClientMaxDelay));

        // A day later the counts are forgotten; the right key signs in.
        world.Clock.Advance(TimeSpan.FromDays(1));
        var (owner, none) = await sessions.SignInWithKeyAsync(Key, guesser, null, default);
        Assert.NotNull(owner);
        Assert.Null(none);
    }

    [Fact]
    public async Task A_stranger_asking_for_the_owners_link_all_day_does_not_starve_the_owner_and_an_hourly_cap_holds_site_wide()
    {
        var world = new CoreWorld();
        var sessions = Sessions(world, admin: new AdminOptions { LinkRequestSeconds = 15, SignInEmailsPerHour = 5 });
        // The stranger asks as often as allowed: one email a minute reaches the owner from them.
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(await sessions.RequestLinkAsync("owner@blog.example.com", "203.0.113.9", default));
            world.Clock.Advance(TimeSpan.FromSeconds(15));
        }
        Assert.Single(world.Jobs.Emails);
        // The owner asks from their own address meanwhile (45 s after the stranger's email): their link is sent.
        Assert.Null(await sessions.RequestLinkAsync("owner@blog.example.com", "198.51.100.1", default));
        Assert.Equal(2, world.Jobs.Emails.Count);

        // Many clients: at most 5 emails in the hour, whatever the answer (the same for all).
        for (var i = 0; i < 10; i++)
            Assert.Null(await sessions.RequestLinkAsync("owner@blog.example.com", $"192.0.2.{i}", default));
        Assert.Equal(5, world.Jobs.Emails.Count);
        world.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Null(await sessions.RequestLinkAsync("owner@blog.example.com", "198.51.100.1", default));
        Assert.Equal(6, world.Jobs.Emails.Count);
    }

    /// <summary>Tokens, cookies and links as an attacker would send them: random characters, numbers no
    /// date holds, mutations of real ones. Every one is refused, none throws (an exception is a 500).</summary>
    [Fact]
    public async Task No_malformed_token_cookie_or_link_throws()
    {
        var world = new CoreWorld();
        var sessions = Sessions(world);
        var signer = new LinkSigner(Options.Create(new NotificationOptions { LinkSecret = Secret }), NullLogger<LinkSigner>.Instance);
        var (session, _) = await sessions.SignInWithKeyAsync(Key, "198.51.100.1", null, default);
        var cookie = sessions.CookieValue(session!);
        var token = $"{world.Clock.GetUtcNow().AddMinutes(15).ToUnixTimeSeconds()}-{new string('a', 32)}";
        var link = System.Web.HttpUtility.ParseQueryString(SignInLinks.Query(signer, token));

        var random = new Random(17);
        string[] pieces = ["", "-", ".", "999999999999", "99999999999999999999", "-1", "-9223372036854775808", "9223372036854775807", "253402300800",
            "0", "1e9", " 1", "١٢٣", "\0", "é", "💬", "%00", new string('f', 32), new string('9', 600), "\uFFFF", "\uD800"];
        string Piece() => pieces[random.Next(pieces.Length)];
        string Mutate(string s)
        {
            var chars = s.ToList();
            for (var n = random.Next(1, 4); n > 0; n--)
            {
                switch (random.Next(4))
                {
                    case 0 when chars.Count > 0: chars.RemoveAt(random.Next(chars.Count)); break;
                    case 1: chars.Insert(random.Next(chars.Count + 1), (char)random.Next(0, 0x3000)); break;
                    case 2 when chars.Count > 0: chars[random.Next(chars.Count)] = ".-0123456789"[random.Next(12)]; break;
                    default: chars.InsertRange(random.Next(chars.Count + 1), Piece()); break;
                }
            }
            return new string(chars.ToArray());
        }
        var candidates = new List<string?> { null, "", "999999999999-" + new string('0', 32), "99999999999999-" + new string('0', 32), "-1-" + new string('0', 32) };
        for (var i = 0; i < 3000; i++)
            candidates.Add(random.Next(3) switch
            {
                0 => Mutate(i % 2 == 0 ? token : cookie),
                1 => string.Join(random.Next(2) == 0 ? "-" : ".", Enumerable.Range(0, random.Next(1, 7)).Select(_ => Piece())),
                _ => new string(Enumerable.Range(0, random.Next(0, 80)).Select(_ => (char)random.Next(0, 0xFFFF)).ToArray()),
            });

        foreach (var bad in candidates.Where(c => c != token && c != cookie)) // a mutation can give back the real thing
        {
            var expires = random.Next(2) == 0 ? link["expires"] : bad;
            var sig = random.Next(2) == 0 ? link["sig"] : bad;
            Assert.NotEqual(OwnerSessions.LinkCheck.Valid, sessions.Check(bad, expires, sig));
            Assert.Null((await sessions.UseLinkAsync(bad, expires, sig, null, default)).Session);
            Assert.Null(await sessions.ReadAsync(bad, default));
            Assert.NotEqual(LinkSigner.Check.Valid, signer.Verify("approve", bad ?? "", bad, bad, world.Clock.GetUtcNow()));
            _ = SignInLinks.Expiry(bad ?? "");
        }
        Assert.NotNull(await sessions.ReadAsync(cookie, default)); // the real ones still work
        Assert.Equal(OwnerSessions.LinkCheck.Valid, sessions.Check(token, link["expires"], link["sig"]));
    }
}
