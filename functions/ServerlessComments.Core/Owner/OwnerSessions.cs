using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Accepting;
using ServerlessComments.Jobs;
using ServerlessComments.Notifications;

namespace ServerlessComments.Owner;

/// <summary>One-time and revoked tokens: a sign-in link used once, a session signed out.</summary>
public interface IOwnerTokens
{
    /// <summary>True the first time a token is used; false ever after (until it expires and is forgotten).</summary>
    Task<bool> TryUseOnceAsync(string kind, string id, DateTimeOffset expires, CancellationToken cancellationToken);
    Task<bool> IsUsedAsync(string kind, string id, CancellationToken cancellationToken);
}

/// <summary>A signed-in owner: the session's id, its lifetime and the anti-forgery token that
/// every state-changing request from the console must carry.</summary>
public sealed record OwnerSession(string Id, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, string Csrf);

/// <summary>
/// Signing the owner in to the console: by a one-time link emailed to <c>Notifications__OwnerEmail</c>
/// (valid 15 minutes, one use; the same answer whatever address was typed, so nobody learns who the
/// owner is), or by the admin key. A session is a signed value (HMAC with a key derived from the
/// link secret and the admin key, so rotating either ends every session), expiring after
/// <see cref="AdminOptions.SessionDays"/> without use; signing out revokes it. Attempts are rate-limited per client.
/// </summary>
public sealed class OwnerSessions
{
    public const string LinkAction = SignInLinks.Action;
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(15);
    /// <summary>Per client address: one key attempt per window (link requests: <see cref="AdminOptions.LinkRequestSeconds"/>).</summary>
    public static readonly TimeSpan KeyWindow = TimeSpan.FromSeconds(2);
    /// <summary>At most one sign-in email a minute, whoever asks: the owner's inbox is not a target.</summary>
    public static readonly TimeSpan EmailWindow = TimeSpan.FromMinutes(1);

    private readonly IOwnerTokens _tokens;
    private readonly IAcceptGuards _guards;
    private readonly GuardKeys _keys;
    private readonly IJobQueue _jobs;
    private readonly LinkSigner _signer;
    private readonly IOptions<NotificationOptions> _notifications;
    private readonly IOptions<AdminOptions> _admin;
    private readonly TimeProvider _clock;
    private readonly ILogger<OwnerSessions> _logger;
    private readonly byte[] _sessionKey;

    public OwnerSessions(IOwnerTokens tokens, IAcceptGuards guards, GuardKeys keys, IJobQueue jobs, LinkSigner signer,
        IOptions<NotificationOptions> notifications, IOptions<AdminOptions> admin, TimeProvider clock, ILogger<OwnerSessions> logger)
    {
        (_tokens, _guards, _keys, _jobs, _signer, _notifications, _admin, _clock, _logger) = (tokens, guards, keys, jobs, signer, notifications, admin, clock, logger);
        var secret = notifications.Value.LinkSecret;
        _sessionKey = string.IsNullOrEmpty(secret)
            ? RandomNumberGenerator.GetBytes(32) // sessions then end with the process, as links do
            : SHA256.HashData(Encoding.UTF8.GetBytes("owner-session\n" + secret + "\n" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(admin.Value.ApiKey)))));
    }

    /// <summary>The console is on only with an admin key: without one there is nobody to sign in.</summary>
    public bool IsOn => !string.IsNullOrEmpty(_admin.Value.ApiKey);

    /// <summary>Asks for a sign-in link. The owner's address gets one by email; any other gets
    /// nothing, and the answer is the same. Returns how long to wait when this client asks too often.</summary>
    public async Task<TimeSpan?> RequestLinkAsync(string typedEmail, string? clientIp, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        if (await _guards.ClaimFloodSlotAsync([_keys.Flood("signin-link\n" + clientIp)], TimeSpan.FromSeconds(_admin.Value.LinkRequestSeconds), now, cancellationToken) is { } wait)
            return wait;
        var owner = _notifications.Value.OwnerEmail.Trim();
        if (owner.Length == 0 || !string.Equals(owner, typedEmail.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            _logger.LogInformation("Sign-in link asked for an address that is not the owner's: nothing sent");
            return null;
        }
        if (await _guards.ClaimFloodSlotAsync([_keys.Flood("signin-email")], EmailWindow, now, cancellationToken) is not null)
        {
            _logger.LogWarning("Sign-in link not sent: one was sent less than a minute ago");
            return null;
        }
        var expires = (now + LinkLifetime).ToUnixTimeSeconds();
        var token = $"{expires}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}";
        await _jobs.EnqueueEmailAsync(new NotificationJob(NotificationJob.SignIn, token), null, cancellationToken);
        return null;
    }

    private static DateTimeOffset? LinkExpiry(string token) => SignInLinks.Expiry(token);

    public enum LinkCheck { Valid, Tampered, Expired, Used }

    /// <summary>Checks a link without using it (its page, before the button).</summary>
    public LinkCheck Check(string? token, string? expires, string? signature)
    {
        if (string.IsNullOrEmpty(token) || LinkExpiry(token) is not { } expiry || expires != expiry.ToUnixTimeSeconds().ToString())
            return LinkCheck.Tampered;
        return _signer.Verify(LinkAction, token, expires, signature, _clock.GetUtcNow()) switch
        {
            LinkSigner.Check.Valid => LinkCheck.Valid,
            LinkSigner.Check.Expired => LinkCheck.Expired,
            _ => LinkCheck.Tampered,
        };
    }

    /// <summary>Uses a link: a session the first time, and never again.</summary>
    public async Task<(OwnerSession? Session, LinkCheck Check)> UseLinkAsync(string? token, string? expires, string? signature, CancellationToken cancellationToken)
    {
        var check = Check(token, expires, signature);
        if (check != LinkCheck.Valid)
            return (null, check);
        if (!await _tokens.TryUseOnceAsync("link", token!, LinkExpiry(token!)!.Value, cancellationToken))
            return (null, LinkCheck.Used);
        _logger.LogInformation("The owner signed in with an emailed link");
        return (NewSession(), LinkCheck.Valid);
    }

    /// <summary>Signs in with the admin key; null session when it is wrong, and a wait when this client tries too often.</summary>
    public async Task<(OwnerSession? Session, TimeSpan? Wait)> SignInWithKeyAsync(string? key, string? clientIp, CancellationToken cancellationToken)
    {
        if (await _guards.ClaimFloodSlotAsync([_keys.Flood("signin-key\n" + clientIp)], KeyWindow, _clock.GetUtcNow(), cancellationToken) is { } wait)
            return (null, wait);
        if (!IsKey(key))
        {
            _logger.LogWarning("A console sign-in with a wrong key was refused");
            return (null, null);
        }
        return (NewSession(), null);
    }

    /// <summary>True for the admin key, compared in constant time (hashes, so length leaks nothing either).</summary>
    public bool IsKey(string? key)
    {
        var expected = _admin.Value.ApiKey;
        return !string.IsNullOrEmpty(expected) &&
               CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(key ?? "")), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }

    private OwnerSession NewSession() => Stamp(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), _clock.GetUtcNow());

    private OwnerSession Stamp(string id, DateTimeOffset issued) =>
        new(id, issued, issued.AddDays(_admin.Value.SessionDays), Mac("csrf\n" + id)[..32]);

    /// <summary>The cookie's value: id, issued, expires, and their signature.</summary>
    public string CookieValue(OwnerSession session)
    {
        var body = $"{session.Id}.{session.IssuedAt.ToUnixTimeSeconds()}.{session.ExpiresAt.ToUnixTimeSeconds()}";
        return body + "." + Mac("session\n" + body);
    }

    /// <summary>The session a cookie holds, or null (absent, altered, expired, signed out, or keys rotated).</summary>
    public async Task<OwnerSession?> ReadAsync(string? cookie, CancellationToken cancellationToken)
    {
        if (!IsOn || cookie?.Split('.') is not [var id, var issued, var expires, var mac] ||
            !long.TryParse(issued, out var issuedUnix) || !long.TryParse(expires, out var expiresUnix))
            return null;
        var expected = Encoding.ASCII.GetBytes(Mac($"session\n{id}.{issued}.{expires}"));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(mac)))
            return null;
        var session = Stamp(id, DateTimeOffset.FromUnixTimeSeconds(issuedUnix));
        if (session.ExpiresAt.ToUnixTimeSeconds() != expiresUnix || _clock.GetUtcNow() >= session.ExpiresAt)
            return null;
        return await _tokens.IsUsedAsync("signout", id, cancellationToken) ? null : session;
    }

    /// <summary>A session used a day after it was issued gets a fresh lifetime (the same id, so signing out still ends it).</summary>
    public OwnerSession? Renewal(OwnerSession session) =>
        _clock.GetUtcNow() - session.IssuedAt > TimeSpan.FromDays(1) ? Stamp(session.Id, _clock.GetUtcNow()) : null;

    public Task SignOutAsync(OwnerSession session, CancellationToken cancellationToken) =>
        _tokens.TryUseOnceAsync("signout", session.Id, session.ExpiresAt.AddDays(1), cancellationToken);

    public bool CsrfMatches(OwnerSession session, string? given) =>
        given is { Length: 32 } && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(session.Csrf), Encoding.ASCII.GetBytes(given));

    private string Mac(string text) =>
        Convert.ToBase64String(HMACSHA256.HashData(_sessionKey, Encoding.UTF8.GetBytes(text))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
