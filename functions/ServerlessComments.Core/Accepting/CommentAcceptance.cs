using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;
using ServerlessComments.Jobs;
using ServerlessComments.Moderation;
using ServerlessComments.Notifications;
using ServerlessComments.Texts;

namespace ServerlessComments.Accepting;

/// <summary>What the request that brought a comment tells the spam check: never public.</summary>
public sealed record ClientInfo(string? Ip, string? UserAgent, string? Referrer)
{
    public static readonly ClientInfo None = new(null, null, null);
}

/// <summary>Who is posting: a reader through the API, or the owner's own loader (demo data,
/// imports), which keeps original dates and is not held to a reader's posting speed.</summary>
public enum CommentSource { Reader, Owner }

/// <summary>What became of a comment offered for acceptance.</summary>
public abstract record AcceptOutcome
{
    public sealed record Accepted(CommentSubmission Comment) : AcceptOutcome;
    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : AcceptOutcome;
    public sealed record Duplicate(string Message) : AcceptOutcome;
    public sealed record TooFast(int Seconds, string Message) : AcceptOutcome;
}

/// <summary>
/// Accepting a comment, for every entry point (the HTTP API, the demo loader): validate, check
/// the parent, apply the duplicate and flood guards, queue it. Nothing slow happens here: the
/// spam check and storage are the processor's.
/// </summary>
public sealed class CommentAcceptance(
    ICommentStore store, IAcceptGuards guards, IJobQueue jobs, IOptions<SpamOptions> spam, GuardKeys keys, TimeProvider clock, ILogger<CommentAcceptance> logger)
{
    public const int MaxHoneypotLength = 200;

    /// <summary>A duplicate marker younger than this is a double submission (409); an older one
    /// whose comment was never stored was left by a request that died before it queued its comment,
    /// and gives way.</summary>
    public static readonly TimeSpan InFlightWindow = TimeSpan.FromMinutes(2);

    public async Task<AcceptOutcome> AcceptAsync(CommentForm form, ClientInfo client, CommentSource source, CancellationToken cancellationToken,
        DateTimeOffset? postedAt = null)
    {
        var acceptedAt = postedAt ?? clock.GetUtcNow();
        var result = CommentValidator.Validate(form, CommentId.New(acceptedAt), acceptedAt);
        if (!result.IsValid)
            return new AcceptOutcome.Invalid(result.Errors);
        var comment = result.Submission! with
        {
            Ip = client.Ip,
            UserAgent = client.UserAgent,
            Referrer = client.Referrer,
            // A filled honeypot is judged spam later, while the bot still gets its 202.
            Honeypot = string.IsNullOrEmpty(form.Hp) ? null : form.Hp.Length > MaxHoneypotLength ? form.Hp[..MaxHoneypotLength] : form.Hp,
        };

        if (comment.ParentId is not null && !await store.ExistsAsync(comment.Thread, comment.ParentId, cancellationToken))
            return new AcceptOutcome.Invalid(new Dictionary<string, string[]> { ["parentId"] = [CommentValidator.UnknownParent] });

        var say = Strings.For(comment.Lang);
        var fingerprint = spam.Value.RefuseDuplicates ? keys.Fingerprint(comment) : null;
        try
        {
            if (fingerprint is not null && !await RememberAsync(fingerprint, comment, acceptedAt, cancellationToken))
                return new AcceptOutcome.Duplicate(say.Reader("duplicate"));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The guards protect the owner, not the comment: when their storage does not answer
            // they step aside rather than refuse a reader.
            logger.LogWarning(e, "Duplicate check skipped for comment {CommentId}: its storage did not answer", comment.Id);
            fingerprint = null;
        }

        // From here on, a comment that is not queued (refused, failed, cancelled) leaves no marker.
        try
        {
            if (source == CommentSource.Reader && spam.Value.FloodSeconds > 0 &&
                await FloodWaitAsync(comment, acceptedAt, cancellationToken) is { } wait)
            {
                await ForgetAsync(fingerprint, comment.Id);
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                return new AcceptOutcome.TooFast(seconds, say.Reader("tooFast", ("seconds", seconds)));
            }
            await jobs.EnqueueCommentAsync(comment, delay: null, cancellationToken);
        }
        catch
        {
            // Not accepted after all: the reader may send the same text again.
            await ForgetAsync(fingerprint, comment.Id);
            throw;
        }
        logger.LogDebug("Comment {CommentId} accepted for thread {Thread}", comment.Id, comment.Thread);
        return new AcceptOutcome.Accepted(comment);
    }

    /// <summary>False for a duplicate: the same text was accepted moments ago, or was stored.</summary>
    private async Task<bool> RememberAsync(string fingerprint, CommentSubmission comment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var mine = new GuardMark(comment.Id, now);
        var existing = await guards.TryRememberAsync(fingerprint, mine, cancellationToken);
        if (existing is null)
            return true;
        if (now - existing.At < InFlightWindow || await store.ExistsAsync(comment.Thread, existing.CommentId, cancellationToken))
            return false;
        // Its comment was never stored: the request that left it died before queuing it.
        logger.LogInformation("A stale duplicate marker (comment {Old}, never stored) gives way to comment {CommentId}", existing.CommentId, comment.Id);
        return await guards.TryReplaceAsync(fingerprint, existing, mine, cancellationToken);
    }

    private async Task<TimeSpan?> FloodWaitAsync(CommentSubmission comment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var floodKeys = new List<string> { keys.Flood("email:" + comment.Email.ToLowerInvariant()) };
        if (comment.Ip is not null)
            floodKeys.Insert(0, keys.Flood("ip:" + FloodNetwork(comment.Ip)));
        try
        {
            return await guards.ClaimFloodSlotAsync(floodKeys, TimeSpan.FromSeconds(spam.Value.FloodSeconds), now, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Flood check skipped for comment {CommentId}: its storage did not answer", comment.Id);
            return null;
        }
    }

    private async Task ForgetAsync(string? fingerprint, string commentId)
    {
        if (fingerprint is null)
            return;
        try
        {
            await guards.ForgetAsync(fingerprint, commentId, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "A refused comment's duplicate marker could not be removed");
        }
    }

    /// <summary>Whose posting speed an IP stands for: an IPv4 address, or an IPv6 address's /64,
    /// since one IPv6 subscriber usually holds a whole /64 and could rotate through it.</summary>
    internal static string FloodNetwork(string ip)
    {
        if (!System.Net.IPAddress.TryParse(ip, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || address.IsIPv4MappedToIPv6)
            return ip;
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new System.Net.IPAddress(bytes) + "/64";
    }

}

/// <summary>
/// The keys the guards store, salted: an HMAC with a server-side secret (<c>Notifications__LinkSecret</c>,
/// the one secret every deployment sets), so that a flood row cannot be brute-forced back to an IP
/// (there are only 2^32 IPv4 addresses) or a fingerprint to an address.
/// </summary>
public sealed class GuardKeys(IOptions<NotificationOptions> options)
{
    private readonly byte[] _key = string.IsNullOrEmpty(options.Value.LinkSecret)
        ? RandomNumberGenerator.GetBytes(32) // without a secret, marks hold for this process only
        : SHA256.HashData(Encoding.UTF8.GetBytes("accept-guards\n" + options.Value.LinkSecret));

    /// <summary>The same address (without case) posting the same text to the same thread.</summary>
    public string Fingerprint(CommentSubmission c) => Mac(c.ThreadKey + "\n" + c.Email.ToLowerInvariant() + "\n" + c.Body);

    public string Flood(string key) => Mac(key);

    private string Mac(string text) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text)));
}
