using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Accepting;
using ServerlessComments.Jobs;
using ServerlessComments.Notifications;

namespace ServerlessComments.Owner;

/// <summary>One-time tokens: a sign-in link used once (kept until it expires, then purged).</summary>
public interface IOwnerTokens
{
    /// <summary>True the first time a token is used; false ever after (until it expires and is forgotten).</summary>
    Task<bool> TryUseOnceAsync(string kind, string id, DateTimeOffset expires, CancellationToken cancellationToken);
    Task<bool> IsUsedAsync(string kind, string id, CancellationToken cancellationToken);
}

/// <summary>A signed-in owner: the session's id, when it was signed in (its absolute limit counts
/// from there), when this cookie was issued, its expiry, and the anti-forgery token that every
/// state-changing request from the console must carry.</summary>
public sealed record OwnerSession(string Id, DateTimeOffset CreatedAt, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, string Csrf)
{
    /// <summary>The session's name in the store and in the console's list: a hash, so the list never shows what the cookie holds.</summary>
    public string Handle => OwnerSessions.HandleOf(Id);
}

/// <summary>
/// Signing the owner in to the console: by a one-time link emailed to <c>Notifications__OwnerEmail</c>
/// (valid 15 minutes, one use; the same answer whatever address was typed, so nobody learns who the
/// owner is), or by the admin key. A session is a signed cookie (HMAC with a key derived from the
/// link secret and the admin key, so rotating either ends every session) and a row in the store
/// (so the owner can list sessions and end them all); it ends after <see cref="AdminOptions.SessionDays"/>
/// without use, and <see cref="AdminOptions.SessionMaxDays"/> after signing in whatever the use.
/// Wrong keys are limited by <see cref="KeyAttempts"/>; sign-in emails per client and per hour.
/// </summary>
public sealed class OwnerSessions
{
    public const string LinkAction = SignInLinks.Action;
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(15);
    /// <summary>At most one sign-in email a minute per asking client: a stranger who knows the owner's
    /// address cannot use up the owner's own (the site-wide cap is <see cref="AdminOptions.SignInEmailsPerHour"/>).</summary>
    public static readonly TimeSpan EmailWindow = TimeSpan.FromMinutes(1);
    /// <summary>A session's "last used" is written at most this often.</summary>
    public static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    private readonly IOwnerTokens _tokens;
    private readonly IOwnerSessionStore _store;
    private readonly IAcceptGuards _guards;
    private readonly IAttemptCounters _counters;
    private readonly KeyAttempts _attempts;
    private readonly GuardKeys _keys;
    private readonly IJobQueue _jobs;
    private readonly LinkSigner _signer;
    private readonly IOptions<NotificationOptions> _notifications;
    private readonly IOptions<AdminOptions> _admin;
    private readonly TimeProvider _clock;
    private readonly ILogger<OwnerSessions> _logger;
    private readonly byte[] _sessionKey;

    public OwnerSessions(IOwnerTokens tokens, IOwnerSessionStore store, IAcceptGuards guards, IAttemptCounters counters, KeyAttempts attempts, GuardKeys keys,
        IJobQueue jobs, LinkSigner signer, IOptions<NotificationOptions> notifications, IOptions<AdminOptions> admin, TimeProvider clock, ILogger<OwnerSessions> logger)
    {
        (_tokens, _store, _guards, _counters, _attempts, _keys, _jobs, _signer, _notifications, _admin, _clock, _logger) =
            (tokens, store, guards, counters, attempts, keys, jobs, signer, notifications, admin, clock, logger);
        var secret = notifications.Value.LinkSecret;
        _sessionKey = string.IsNullOrEmpty(secret)
            ? RandomNumberGenerator.GetBytes(32) // sessions then end with the process, as links do
            : SHA256.HashData(Encoding.UTF8.GetBytes("owner-session\n" + secret + "\n" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(admin.Value.ApiKey)))));
    }

    /// <summary>The console is on only with an admin key: without one there is nobody to sign in.</summary>
    public bool IsOn => !string.IsNullOrEmpty(_admin.Value.ApiKey);

    /// <summary>Asks for a sign-in link. The owner's address gets one by email; any other gets
    /// nothing, and the answer is the same. Returns how long to wait when this client asks too often
    /// (decided before the address is looked at, so the wait says nothing about it either).</summary>
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
        // Per asking client, so a stranger's requests never take the owner's slot.
        if (await _guards.ClaimFloodSlotAsync([_keys.Flood("signin-email\n" + clientIp)], EmailWindow, now, cancellationToken) is not null)
        {
            _logger.LogWarning("Sign-in link not sent: this client had one less than a minute ago");
            return null;
        }
        var sent = await _counters.AddAsync(_keys.Flood("signin-emails\nsite"), TimeSpan.FromHours(1), now, cancellationToken);
        if (sent.Count > _admin.Value.SignInEmailsPerHour)
        {
            _logger.LogWarning("Sign-in link not sent: {Count} were asked for this hour (Admin__SignInEmailsPerHour is {Cap})", sent.Count, _admin.Value.SignInEmailsPerHour);
            return null;
        }
        var expires = (now + LinkLifetime).ToUnixTimeSeconds();
        var token = $"{expires}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}";
        await _jobs.EnqueueEmailAsync(new NotificationJob(NotificationJob.SignIn, token), null, cancellationToken);
        return null;
    }

    public enum LinkCheck { Valid, Tampered, Expired, Used }

    /// <summary>Checks a link without using it (its page, before the button). Anything malformed is Tampered, never an exception.</summary>
    public LinkCheck Check(string? token, string? expires, string? signature)
    {
        if (string.IsNullOrEmpty(token) || SignInLinks.Expiry(token) is not { } expiry || expires != expiry.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture))
            return LinkCheck.Tampered;
        return _signer.Verify(LinkAction, token, expires, signature, _clock.GetUtcNow()) switch
        {
            LinkSigner.Check.Valid => LinkCheck.Valid,
            LinkSigner.Check.Expired => LinkCheck.Expired,
            _ => LinkCheck.Tampered,
        };
    }

    /// <summary>Uses a link: a session the first time, and never again.</summary>
    public async Task<(OwnerSession? Session, LinkCheck Check)> UseLinkAsync(string? token, string? expires, string? signature, string? userAgent, CancellationToken cancellationToken)
    {
        var check = Check(token, expires, signature);
        if (check != LinkCheck.Valid)
            return (null, check);
        if (!await _tokens.TryUseOnceAsync("link", token!, SignInLinks.Expiry(token!)!.Value, cancellationToken))
            return (null, LinkCheck.Used);
        _logger.LogInformation("The owner signed in with an emailed link");
        return (await NewSessionAsync(userAgent, cancellationToken), LinkCheck.Valid);
    }

    /// <summary>Signs in with the admin key; null session when it is wrong, and a wait when too many wrong keys came before.</summary>
    public async Task<(OwnerSession? Session, TimeSpan? Wait)> SignInWithKeyAsync(string? key, string? clientIp, string? userAgent, CancellationToken cancellationToken)
    {
        if (await _attempts.WaitAsync(clientIp, cancellationToken) is { } wait)
            return (null, wait);
        if (!IsKey(key))
        {
            _logger.LogWarning("A console sign-in with a wrong key was refused");
            await _attempts.FailedAsync(clientIp, cancellationToken);
            return (null, null);
        }
        await _attempts.SucceededAsync(clientIp, cancellationToken);
        return (await NewSessionAsync(userAgent, cancellationToken), null);
    }

    /// <summary>True for the admin key, compared in constant time (hashes, so length leaks nothing either).</summary>
    public bool IsKey(string? key)
    {
        var expected = _admin.Value.ApiKey;
        return !string.IsNullOrEmpty(expected) &&
               CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(key ?? "")), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }

    public static string HandleOf(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("session\n" + id)))[..32];

    private async Task<OwnerSession> NewSessionAsync(string? userAgent, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var session = Stamp(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), now, now);
        await _store.AddAsync(new SessionRecord(session.Handle, now, now, session.ExpiresAt, userAgent is { Length: > 200 } ? userAgent[..200] : userAgent), cancellationToken);
        return session;
    }

    private OwnerSession Stamp(string id, DateTimeOffset created, DateTimeOffset issued)
    {
        var idle = issued.AddDays(_admin.Value.SessionDays);
        var absolute = created.AddDays(_admin.Value.SessionMaxDays);
        return new(id, created, issued, idle < absolute ? idle : absolute, Mac("csrf\n" + id)[..32]);
    }

    /// <summary>The cookie's value: id, signed in, issued, expires, and their signature.</summary>
    public string CookieValue(OwnerSession session)
    {
        var body = $"{session.Id}.{session.CreatedAt.ToUnixTimeSeconds()}.{session.IssuedAt.ToUnixTimeSeconds()}.{session.ExpiresAt.ToUnixTimeSeconds()}";
        return body + "." + Mac("session\n" + body);
    }

    // Seconds a DateTimeOffset can hold: anything outside is malformed, not an exception.
    private static readonly long MinUnix = DateTimeOffset.MinValue.ToUnixTimeSeconds(), MaxUnix = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    private static DateTimeOffset? Unix(string text) =>
        text.Length is > 0 and <= 19 && text.All(char.IsAsciiDigit) && long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) &&
        seconds >= MinUnix && seconds <= MaxUnix ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    /// <summary>The session a cookie holds, or null (absent, malformed, altered, expired, signed out, or keys rotated).
    /// A use is recorded (last used) at most once a minute.</summary>
    public async Task<OwnerSession?> ReadAsync(string? cookie, CancellationToken cancellationToken)
    {
        if (!IsOn || cookie is not { Length: <= 512 } || cookie.Split('.') is not [var id, var created, var issued, var expires, var mac] ||
            Unix(created) is not { } createdAt || Unix(issued) is not { } issuedAt || Unix(expires) is null || createdAt > issuedAt)
            return null;
        var expected = Encoding.ASCII.GetBytes(Mac($"session\n{id}.{created}.{issued}.{expires}"));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.UTF8.GetBytes(mac)))
            return null;
        if (createdAt > DateTimeOffset.MaxValue.AddDays(-400) || issuedAt > DateTimeOffset.MaxValue.AddDays(-400))
            return null; // signed by us, so never; but the sums below must not overflow
        var session = Stamp(id, createdAt, issuedAt);
        var now = _clock.GetUtcNow();
        if (session.ExpiresAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) != expires || now >= session.ExpiresAt)
            return null;
        if (await _store.FindAsync(session.Handle, cancellationToken) is not { } record)
            return null;
        if (now - record.LastUsedAt >= TouchEvery)
            await _store.TouchAsync(record with { LastUsedAt = now, ExpiresAt = Renewal(session)?.ExpiresAt ?? session.ExpiresAt }, cancellationToken);
        return session;
    }

    /// <summary>A session used a day after its cookie was issued gets a fresh cookie (the same id, so
    /// signing out still ends it), never past its absolute limit.</summary>
    public OwnerSession? Renewal(OwnerSession session) =>
        _clock.GetUtcNow() - session.IssuedAt > TimeSpan.FromDays(1) ? Stamp(session.Id, session.CreatedAt, _clock.GetUtcNow()) : null;

    public Task SignOutAsync(OwnerSession session, CancellationToken cancellationToken) => _store.RemoveAsync(session.Handle, cancellationToken);

    /// <summary>Ends every session, this one too.</summary>
    public async Task<int> SignOutEverywhereAsync(CancellationToken cancellationToken)
    {
        var ended = await _store.RemoveAllAsync(cancellationToken);
        _logger.LogInformation("The owner signed out everywhere: {Count} session(s) ended", ended);
        return ended;
    }

    /// <summary>The open sessions, last used first.</summary>
    public async Task<IReadOnlyList<SessionRecord>> ListAsync(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        return (await _store.ListAsync(cancellationToken)).Where(s => s.ExpiresAt > now).OrderByDescending(s => s.LastUsedAt).ToList();
    }

    /// <summary>Deletes what sign-in leaves behind once it means nothing: expired sessions, used links
    /// past their expiry, stale attempt counters. Run by the daily privacy job.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var purged = await _store.PurgeAsync(now, cancellationToken) + await _counters.ForgetOlderThanAsync(now - KeyAttempts.ClientWindow, cancellationToken);
        _logger.LogInformation("Sign-in: purged {Count} expired session, used link and attempt row(s)", purged);
        return purged;
    }

    public bool CsrfMatches(OwnerSession session, string? given) =>
        given is { Length: 32 } && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(session.Csrf), Encoding.UTF8.GetBytes(given));

    private string Mac(string text) =>
        Convert.ToBase64String(HMACSHA256.HashData(_sessionKey, Encoding.UTF8.GetBytes(text))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
