using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;
using ServerlessComments.Jobs;
using ServerlessComments.Moderation;
using ServerlessComments.Notifications;
using ServerlessComments.Telemetry;
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
    /// <summary>An idempotency key sent again with another comment (the draft's 422).</summary>
    public sealed record KeyReused(string Message) : AcceptOutcome;
}

/// <summary>
/// Accepting a comment, for every entry point (the HTTP API, the demo loader): validate, check
/// the parent, apply the duplicate and flood guards, queue it. Nothing slow happens here: the
/// spam check and storage are the processor's.
/// </summary>
public sealed class CommentAcceptance(
    ICommentStore store, IAcceptGuards guards, IJobQueue jobs, IOptions<SpamOptions> spam, GuardKeys keys, TimeProvider clock, CommentMetrics metrics,
    ILogger<CommentAcceptance> logger, Challenges challenges)
{
    public const int MaxHoneypotLength = 200;

    /// <param name="idempotencyKey">The request's <c>Idempotency-Key</c> header, if any: a retry of the
    /// same submission with the same key is answered with the first one's id, and is stored once.</param>
    public async Task<AcceptOutcome> AcceptAsync(CommentForm form, ClientInfo client, CommentSource source, CancellationToken cancellationToken,
        DateTimeOffset? postedAt = null, string? idempotencyKey = null)
    {
        // A child of the request's own activity (the host's HTTP span): the comment's trace starts there.
        using var activity = CommentTracing.Source.StartActivity("comment.accept");
        var outcome = await DecideAsync(form, client, source, postedAt, idempotencyKey, cancellationToken);
        switch (outcome)
        {
            case AcceptOutcome.Accepted accepted:
                metrics.Accepted();
                activity?.SetTag("comment.id", accepted.Comment.Id);
                break;
            case AcceptOutcome.Invalid or AcceptOutcome.KeyReused:
                metrics.Refused(CommentMetrics.Refusal.Validation);
                break;
            case AcceptOutcome.Duplicate:
                metrics.Refused(CommentMetrics.Refusal.Duplicate);
                break;
            case AcceptOutcome.TooFast:
                metrics.Refused(CommentMetrics.Refusal.Flood);
                break;
        }
        activity?.SetTag("comment.outcome", outcome.GetType().Name);
        return outcome;
    }

    private async Task<AcceptOutcome> DecideAsync(CommentForm form, ClientInfo client, CommentSource source, DateTimeOffset? postedAt,
        string? idempotencyHeader, CancellationToken cancellationToken)
    {
        var acceptedAt = postedAt ?? clock.GetUtcNow();
        var result = CommentValidator.Validate(form, CommentId.New(acceptedAt), acceptedAt);
        if (!IdempotencyKeys.TryRead(idempotencyHeader, out var idempotencyKey))
            return new AcceptOutcome.Invalid(new Dictionary<string, string[]>(result.Errors)
            {
                [IdempotencyKeys.Header] = [Strings.For(form.Lang).Reader("idempotencyKeyInvalid", ("max", IdempotencyKeys.MaxLength))],
            });
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

        var submission = idempotencyKey is null ? null : new Submission(GuardKeys.Idempotency(idempotencyKey), GuardKeys.Submission(idempotencyKey, comment));

        // The proof of work first, before any other storage or queue work: a bot without one costs
        // one hash. A retry (same idempotency key, same words) may bring its spent proof again.
        if (source == CommentSource.Reader && challenges.IsOn &&
            await challenges.CheckAsync(form.Proof, submission?.Payload ?? comment.Id, cancellationToken) is var proof and not ProofCheck.Valid)
        {
            if (!challenges.Holds)
                return new AcceptOutcome.Invalid(new Dictionary<string, string[]>
                {
                    [Challenges.Field] = [Strings.For(comment.Lang).Reader(proof == ProofCheck.Missing ? "proofMissing" : "proofRefused")],
                });
            comment = comment with { Unproven = Challenges.Reason(proof) };
        }

        if (comment.ParentId is not null && !await store.ExistsAsync(comment.Thread, comment.ParentId, cancellationToken))
            return new AcceptOutcome.Invalid(new Dictionary<string, string[]> { ["parentId"] = [CommentValidator.UnknownParent] });

        // A retry of a submission already accepted is that comment again: same id, same time, and
        // none of the guards below, which it passed (or which would take it for its own copy).
        if (submission is not null && await guards.FindAsync(submission.Key, cancellationToken) is { } first)
            return await AcceptAgainAsync(comment, first, submission, cancellationToken);

        var say = Strings.For(comment.Lang);
        if (spam.Value.RefuseDuplicates && await IsDuplicateAsync(comment, cancellationToken))
            return new AcceptOutcome.Duplicate(say.Reader("duplicate"));
        if (source == CommentSource.Reader && spam.Value.FloodSeconds > 0 &&
            await FloodWaitAsync(comment, acceptedAt, cancellationToken) is { } wait)
        {
            // Two copies of one submission at once (a double click, a client's eager retry): the
            // other took the flood slot, and this one is that comment, not a second one too soon.
            if (submission is not null && await guards.FindAsync(submission.Key, cancellationToken) is { } other)
                return await AcceptAgainAsync(comment, other, submission, cancellationToken);
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            return new AcceptOutcome.TooFast(seconds, say.Reader("tooFast", ("seconds", seconds)));
        }
        // The key is bound to this id before the comment is queued: a crash after queueing (the
        // answer lost) leaves a retry that finds this id, never a second comment.
        if (submission is not null &&
            await guards.TryRememberAsync(submission.Key, new GuardMark(comment.Id, comment.CreatedAt, submission.Payload), cancellationToken) is { } winner)
            return await AcceptAgainAsync(comment, winner, submission, cancellationToken);
        return await QueueAsync(comment, cancellationToken);
    }

    private sealed record Submission(string Key, string Payload);

    private async Task<AcceptOutcome> AcceptAgainAsync(CommentSubmission comment, GuardMark first, Submission submission, CancellationToken cancellationToken)
    {
        if (first.Payload != submission.Payload)
            return new AcceptOutcome.KeyReused(Strings.For(comment.Lang).Reader("idempotencyKeyReused"));
        // Queued again: the first copy may never have reached the queue. Processing is keyed by
        // the id, so however many copies arrive, one comment is stored.
        logger.LogInformation("Comment {CommentId} sent again with its idempotency key", first.CommentId);
        return await QueueAsync(comment with { Id = first.CommentId, CreatedAt = first.At }, cancellationToken);
    }

    private async Task<AcceptOutcome> QueueAsync(CommentSubmission comment, CancellationToken cancellationToken)
    {
        var (traceParent, traceState) = CommentTracing.Now();
        comment = comment with { TraceParent = traceParent, TraceState = traceState };
        await jobs.EnqueueCommentAsync(comment, delay: null, cancellationToken);
        logger.LogDebug("Comment {CommentId} accepted for thread {Thread}", comment.Id, comment.Thread);
        return new AcceptOutcome.Accepted(comment);
    }

    /// <summary>
    /// The same text from the same address on the same thread was stored already (or is being
    /// stored): the processor writes the duplicate mark as it stores a comment, and this only
    /// reads it. So a request refused, failed, cancelled or killed at any point leaves no mark,
    /// and its reader's retry goes through; two identical posts at the same moment are both
    /// accepted and the processor stores one (see <see cref="DuplicateMarks"/>).
    /// </summary>
    private async Task<bool> IsDuplicateAsync(CommentSubmission comment, CancellationToken cancellationToken)
    {
        try
        {
            return await guards.FindAsync(keys.Fingerprint(comment), cancellationToken) is { } mark && mark.CommentId != comment.Id;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The guards protect the owner, not the comment: when their storage does not answer
            // they step aside rather than refuse a reader (the processor still stores one copy).
            logger.LogWarning(e, "Duplicate check skipped for comment {CommentId}: its storage did not answer", comment.Id);
            return false;
        }
    }

    private async Task<TimeSpan?> FloodWaitAsync(CommentSubmission comment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var floodKeys = new List<string> { keys.EmailFlood(comment.Email) };
        if (comment.Ip is not null)
            floodKeys.Insert(0, keys.IpFlood(comment.Ip));
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
/// The processor's side of the duplicate guard: a comment is stored only if it holds its
/// fingerprint's mark. The first copy of a text to be processed takes the mark (before it is
/// judged); every later copy finds it held by another and is dropped. The holder is stored, or
/// is still on its way (a redelivery after a crash, a retry of the spam check, the poison queue's
/// replay), or was discarded as blatant spam, which its copies would be too: whatever crashes,
/// one copy is stored. Two instances at once: one insert wins.
/// </summary>
public sealed class DuplicateMarks(IAcceptGuards guards, GuardKeys keys, IOptions<SpamOptions> spam, TimeProvider clock)
{
    /// <summary>True when this comment may be stored: it holds (or now took) its text's mark.</summary>
    public async Task<bool> ClaimAsync(CommentSubmission comment, CancellationToken cancellationToken)
    {
        if (!spam.Value.RefuseDuplicates)
            return true;
        var existing = await guards.TryRememberAsync(keys.Fingerprint(comment), new GuardMark(comment.Id, clock.GetUtcNow()), cancellationToken);
        return existing is null || existing.CommentId == comment.Id;
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
    public string Fingerprint(CommentSubmission c) => Fingerprint(c.ThreadKey, c.Email, c.Body);

    public string Fingerprint(string threadKey, string email, string body) => Mac(threadKey + "\n" + email.ToLowerInvariant() + "\n" + body);

    /// <summary>Where a client's idempotency key is remembered. A plain hash, not keyed with the
    /// server's secret: a retry must find it on any instance, with or without a secret.</summary>
    public static string Idempotency(string key) => Hash("idempotency\n" + key);

    /// <summary>What a submission says, so that a key sent again with other words is told apart
    /// from a retry; salted with the client's key (random, and never stored itself), so the hash
    /// cannot be tried against guessed addresses.</summary>
    public static string Submission(string key, CommentSubmission c) =>
        Hash(string.Join("\n", "submission", key, c.ThreadKey, c.ParentId, c.Author, c.Email.ToLowerInvariant(), c.Website, c.NotifyOnReply, c.Body));

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The flood slot of an address.</summary>
    public string EmailFlood(string email) => Flood("email:" + email.ToLowerInvariant());

    public string Flood(string key) => Mac(key);

    /// <summary>The flood slot of an IP (its /64 for IPv6), as acceptance claims it.</summary>
    public string IpFlood(string ip) => Flood("ip:" + CommentAcceptance.FloodNetwork(ip));

    /// <summary>Who an email went to, as the email ledger keeps it, so that an erasure can find the rows.</summary>
    public string Recipient(string email) => Mac("recipient:" + email.Trim().ToLowerInvariant());

    /// <summary>The tombstone of an erased address (without case or surrounding space).</summary>
    public string Tombstone(string email) => Mac("erased:" + email.Trim().ToLowerInvariant());

    /// <summary>Whose comment a spam filter's example was made from (without case or surrounding space),
    /// so that an erasure by address finds it.</summary>
    public string SpamExampleAuthor(string email) => Mac("spam-example:" + email.Trim().ToLowerInvariant());

    private string Mac(string text) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text)));
}
