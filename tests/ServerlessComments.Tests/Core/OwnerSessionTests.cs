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

    private static OwnerSessions Sessions(CoreWorld world, string key = Key, string secret = Secret, InMemoryOwnerTokens? tokens = null)
    {
        var notifications = Options.Create(new NotificationOptions { OwnerEmail = "owner@blog.example.com", LinkSecret = secret });
        return new OwnerSessions(tokens ?? new InMemoryOwnerTokens(), world.Guards, new GuardKeys(notifications), world.Jobs,
            new LinkSigner(notifications, NullLogger<LinkSigner>.Instance), notifications, Options.Create(new AdminOptions { ApiKey = key }),
            world.Clock, NullLogger<OwnerSessions>.Instance);
    }

    [Fact]
    public async Task A_session_ends_when_it_expires_is_altered_or_the_key_or_link_secret_is_rotated()
    {
        var world = new CoreWorld();
        var tokens = new InMemoryOwnerTokens();
        var sessions = Sessions(world, tokens: tokens);
        var (session, _) = await sessions.SignInWithKeyAsync(Key, "198.51.100.1", default);
        var cookie = sessions.CookieValue(session!);
        Assert.NotNull(await sessions.ReadAsync(cookie, default));

        Assert.Null(await sessions.ReadAsync(cookie.Replace('.', ';'), default));
        var parts = cookie.Split('.');
        Assert.Null(await sessions.ReadAsync($"{parts[0]}.{parts[1]}.{long.Parse(parts[2]) + 86400 * 30}.{parts[3]}", default)); // a longer life, forged
        Assert.Null(await Sessions(world, key: Key + "-rotated", tokens: tokens).ReadAsync(cookie, default));
        Assert.Null(await Sessions(world, secret: Secret + "-rotated", tokens: tokens).ReadAsync(cookie, default));

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
        // Another client, a second later: the same answer, but no second email within the minute.
        Assert.Null(await sessions.RequestLinkAsync("owner@blog.example.com", "198.51.100.3", default));
        Assert.Single(world.Jobs.Emails);

        var query = System.Web.HttpUtility.ParseQueryString(SignInLinks.Query(new LinkSigner(Options.Create(new NotificationOptions { LinkSecret = Secret }), NullLogger<LinkSigner>.Instance), job.CommentId));
        Assert.Equal(OwnerSessions.LinkCheck.Valid, sessions.Check(query["token"], query["expires"], query["sig"]));
        Assert.Equal(OwnerSessions.LinkCheck.Tampered, sessions.Check(query["token"], query["expires"], query["sig"] + "x"));
        var (first, _) = await sessions.UseLinkAsync(query["token"], query["expires"], query["sig"], default);
        Assert.NotNull(first);
        Assert.Equal(OwnerSessions.LinkCheck.Used, (await sessions.UseLinkAsync(query["token"], query["expires"], query["sig"], default)).Check);

        world.Clock.Advance(OwnerSessions.LinkLifetime + TimeSpan.FromSeconds(1));
        Assert.Equal(OwnerSessions.LinkCheck.Expired, sessions.Check(query["token"], query["expires"], query["sig"]));
    }
}
