using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;
using ServerlessComments.Jobs;
using ServerlessComments.Telemetry;

namespace ServerlessComments.Notifications;

/// <summary>
/// Delivering notifications: sends the email a job asks for, at most once per (comment, kind, recipient): the sending is
/// claimed first (a lease, marked sent once SendGrid took it), so a job delivered twice sends once,
/// and a sender that crashed mid-way leaves a claim that runs out rather than an email never sent. A failure that may pass
/// (SendGrid 429 or 5xx, an SMTP 4xx or a dropped connection) gives the claim back and queues the job
/// again after <c>Retry-After</c>; one that will not pass (an SMTP 5xx, a refused login), or whose
/// <see cref="NotificationOptions.MaxRetries"/> are spent, is tried once and set aside in the poison
/// queue, which the replay command covers.
/// </summary>
public sealed class NotificationDelivery(
    ICommentStore store, IAuthorRecords authors, IEmailLedger ledger, IJobQueue jobs, EmailComposer composer, IEmailSender sender,
    IHeldDigest digest, IOptions<NotificationOptions> options, CommentMetrics metrics, TimeProvider clock, ILogger<NotificationDelivery> logger,
    PersonalData.YourDataRequests? yourData = null)
{
    /// <summary>How long a claim holds before another job may send the email: longer than a send takes.</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(5);

    public async Task SendAsync(string message, CancellationToken cancellationToken)
    {
        var job = JsonSerializer.Deserialize<NotificationJob>(message, CommentJson.Options)
                  ?? throw new InvalidDataException("The queue message is not a notification job.");
        // A step of the comment's trace: the processing (or the owner's decision) that queued it.
        using var activity = CommentTracing.StartFromQueue("email.send", job.TraceParent, job.TraceState);
        activity?.SetTag("comment.id", job.CommentId);
        activity?.SetTag("email.kind", job.Kind);
        activity?.SetTag("email.attempt", job.Attempt);
        await CommentTracing.TracedAsync(activity, () => SendAsync(job, activity, cancellationToken));
    }

    private async Task SendAsync(NotificationJob job, Activity? activity, CancellationToken cancellationToken)
    {
        // A reader's "your data" link: its own rules (looked up here, off the request path; one per address per period).
        if (job.Kind == PersonalData.YourDataRequests.Kind && yourData is not null)
        {
            await yourData.SendLinkAsync(job.CommentId, cancellationToken);
            return;
        }
        if (job.Kind == NotificationJob.Digest)
        {
            await SendDigestAsync(job, activity, cancellationToken);
            return;
        }
        if (job.Kind == NotificationJob.Owner && await JoinDigestAsync(job, cancellationToken))
            return;
        var email = await ComposeAsync(job, cancellationToken);
        if (email is null)
            return;

        // A confirmation is claimed per address and period, not per comment: an address that asks
        // on ten comments (or is typed by someone else ten times) gets one email a period.
        var claimFor = job.Kind == NotificationJob.Confirm ? ConfirmationPeriod(clock.GetUtcNow()) : job.CommentId;
        switch (await ledger.TryClaimAsync(claimFor, job.Kind, email.To, ClaimLease, cancellationToken))
        {
            case EmailClaim.AlreadySent:
                logger.LogInformation("The {Kind} email about comment {CommentId} was already sent; duplicate job ignored", job.Kind, job.CommentId);
                return;
            case EmailClaim.InFlight when job.Kind == NotificationJob.Confirm:
                // The same confirmation, asked for by another comment, is being sent: that job's own
                // message comes back if its sender dies, so this one has nothing left to do.
                logger.LogInformation("The confirmation email for comment {CommentId}'s author is being sent by another job", job.CommentId);
                return;
            case EmailClaim.InFlight:
                // Another sender may be sending it now: look again once its lease has run out.
                await jobs.EnqueueEmailAsync(job, ClaimLease, cancellationToken);
                logger.LogInformation("The {Kind} email about comment {CommentId} is being sent by another job; checking again in {Delay}", job.Kind, job.CommentId, ClaimLease);
                return;
        }
        Slot? slot = null;
        if (job.Kind == NotificationJob.Confirm)
        {
            slot = await TakeConfirmationSlotAsync(cancellationToken);
            if (slot is null)
            {
                // The site's confirmations for this hour are spent: this one waits for the next hour, not dropped.
                await ledger.ReleaseAsync(claimFor, job.Kind, email.To, cancellationToken);
                var now = clock.GetUtcNow();
                var wait = TimeSpan.FromHours(1) - TimeSpan.FromTicks(now.UtcTicks % TimeSpan.TicksPerHour) + TimeSpan.FromSeconds(1);
                await jobs.EnqueueEmailAsync(job, wait, cancellationToken);
                logger.LogWarning("The confirmation email for comment {CommentId}'s author waits {Delay}: {Count} confirmations were sent this hour (Notifications__ConfirmationsPerHour)",
                    job.CommentId, wait, options.Value.ConfirmationsPerHour);
                return;
            }
        }
        await DeliverAsync(job, email, claimFor, slot, activity, cancellationToken);
    }

    /// <summary>One of the hour's confirmation sends, held in the email ledger like an email: a
    /// slot whose send failed is given back, one whose sender died runs out.</summary>
    private sealed record Slot(string Hour, string Name);

    private async Task<Slot?> TakeConfirmationSlotAsync(CancellationToken cancellationToken)
    {
        var hour = "confirmations-" + clock.GetUtcNow().ToUnixTimeSeconds() / 3600;
        for (var i = 0; i < options.Value.ConfirmationsPerHour; i++)
        {
            var slot = new Slot(hour, "slot-" + i);
            if (await ledger.TryClaimAsync(slot.Hour, slot.Name, Site, ClaimLease, cancellationToken) == EmailClaim.Claimed)
                return slot;
        }
        return null;
    }

    private const string Site = "site";

    /// <summary>Sends an email claimed as <paramref name="claimFor"/>, and settles the claim.</summary>
    /// <returns>True when nothing more is to be done (sent, or email is off); false when it was not sent (retried, or set aside).</returns>
    private async Task<bool> DeliverAsync(NotificationJob job, Email email, string claimFor, Slot? slot, Activity? activity, CancellationToken cancellationToken)
    {
        async Task ReleaseAsync(CancellationToken token)
        {
            await ledger.ReleaseAsync(claimFor, job.Kind, email.To, token);
            if (slot is not null)
                await ledger.ReleaseAsync(slot.Hour, slot.Name, Site, token);
        }
        // Every try at this email carries the ledger's key for it: an SMTP server that took a
        // message whose acknowledgement was lost sees the retry under the same Message-ID.
        email = email with { Key = $"{claimFor}/{job.Kind}/{email.To.ToLowerInvariant()}" };
        SendResult result;
        try
        {
            result = await sender.SendAsync(email, cancellationToken);
        }
        catch
        {
            // Not sent (a timeout, a full disk): give the claim back so that the queue's retry can send it.
            await ReleaseAsync(CancellationToken.None);
            throw;
        }
        if (result == SendResult.Off)
        {
            await ReleaseAsync(cancellationToken);
            logger.LogWarning("The {Kind} email about comment {CommentId} was not sent: email is off (set Email__Provider, see docs/email.md)", job.Kind, job.CommentId);
            return true;
        }
        if (result.Sent)
        {
            await ledger.MarkSentAsync(claimFor, job.Kind, email.To, cancellationToken);
            if (slot is not null)
                await ledger.MarkSentAsync(slot.Hour, slot.Name, Site, cancellationToken);
            metrics.EmailSent(job.Kind);
            activity?.SetTag("email.outcome", "sent");
            logger.LogInformation("Sent the {Kind} email about comment {CommentId}", email.Kind, job.CommentId);
            return true;
        }

        await ReleaseAsync(cancellationToken);
        if (result.RetryAfter is { } delay && job.Attempt < options.Value.MaxRetries)
        {
            var wait = delay > TimeSpan.Zero ? delay : TimeSpan.FromSeconds(Math.Min(3600, options.Value.RetryDelaySeconds * Math.Pow(2, job.Attempt)));
            await jobs.EnqueueEmailAsync(job with { Attempt = job.Attempt + 1 }, wait, cancellationToken);
            metrics.EmailRetried(job.Kind);
            activity?.SetTag("email.outcome", "retried");
            logger.LogWarning("The {Kind} email about comment {CommentId} will be retried in {Delay}: {Detail}", job.Kind, job.CommentId, wait, result.Detail);
            return false;
        }
        // Will not pass as it is (a 5xx, a refused login, retries spent): trying again through the
        // queue's own redeliveries would only send the same refusal four more times.
        await jobs.ParkEmailAsync(job, cancellationToken);
        metrics.EmailFailed(job.Kind);
        activity?.SetTag("email.outcome", "failed");
        logger.LogError("The {Kind} email about comment {CommentId} could not be sent, and waits in the poison queue for a replay: {Detail}", job.Kind, job.CommentId, result.Detail);
        return false; // not sent: a digest keeps its comments for the replay
    }

    /// <summary>The owner's alert about a held comment (or a published one, when the owner asked
    /// for those in the digest too) joins the digest of the period instead of going alone.</summary>
    /// <returns>True when the alert is the digest's business (joined now or before).</returns>
    private async Task<bool> JoinDigestAsync(NotificationJob job, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.OwnerEmail))
            return false;
        var comment = await store.FindAsync(job.CommentId, cancellationToken);
        if (comment is null || !(comment.Status == CommentStatus.Pending || comment.IsPublished && o.DigestPublished))
            return false;
        // Once per comment, in the ledger like an email: a redelivered job after the digest went
        // (and forgot the comment) must not put it in a second digest.
        switch (await ledger.TryClaimAsync(comment.Id, Joined, o.OwnerEmail, ClaimLease, cancellationToken))
        {
            case EmailClaim.AlreadySent:
                return true;
            case EmailClaim.InFlight:
                await jobs.EnqueueEmailAsync(job, ClaimLease, cancellationToken);
                return true;
        }
        try
        {
            await digest.AddAsync(comment.Id, cancellationToken);
            // The period is read after the comment is written: the digest scheduled for it goes
            // out at the period's end, so after this comment was there to be taken.
            await ScheduleDigestAsync(cancellationToken);
        }
        catch
        {
            await ledger.ReleaseAsync(comment.Id, Joined, o.OwnerEmail, CancellationToken.None);
            throw;
        }
        await ledger.MarkSentAsync(comment.Id, Joined, o.OwnerEmail, cancellationToken);
        logger.LogInformation("Comment {CommentId} waits for the owner's next digest", comment.Id);
        return true;
    }

    private const string Joined = "digest-joined";
    private const string Scheduled = "digest-scheduled";

    /// <summary>The digest period that holds <paramref name="now"/>: its start and end, in Unix milliseconds.</summary>
    public static (long Start, long End) DigestPeriod(DateTimeOffset now, double minutes)
    {
        var length = Math.Max(1, (long)(minutes * 60_000));
        var start = now.ToUnixTimeMilliseconds() / length * length;
        return (start, start + length);
    }

    /// <summary>Makes sure one digest job is queued for the current period, due at its end.</summary>
    private async Task ScheduleDigestAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (start, end) = DigestPeriod(now, options.Value.HeldDigestMinutes);
        var key = "digest-" + start;
        var owner = options.Value.OwnerEmail;
        var claim = await ledger.TryClaimAsync(key, Scheduled, owner, ClaimLease, cancellationToken);
        if (claim == EmailClaim.AlreadySent)
            return;
        var job = new NotificationJob(NotificationJob.Digest, $"{start}-{end}");
        try
        {
            // In flight: another instance is queueing it; a second job is harmless (the digest is claimed), a missing one is not.
            await jobs.EnqueueEmailAsync(job, DateTimeOffset.FromUnixTimeMilliseconds(end) - now, cancellationToken);
        }
        catch when (claim == EmailClaim.Claimed)
        {
            await ledger.ReleaseAsync(key, Scheduled, owner, CancellationToken.None);
            throw;
        }
        if (claim == EmailClaim.Claimed)
            await ledger.MarkSentAsync(key, Scheduled, owner, cancellationToken);
    }

    /// <summary>Sends the digest of one period, once: the ledger claims it, the period takes every
    /// waiting comment, and forgets them once sent. Comments that came too late wait for the next.</summary>
    private async Task SendDigestAsync(NotificationJob job, Activity? activity, CancellationToken cancellationToken)
    {
        if (job.CommentId.Split('-') is not [var startText, var endText] || !long.TryParse(startText, out var start) || !long.TryParse(endText, out var end))
            throw new InvalidDataException($"The digest job names no period: {job.CommentId}");
        var now = clock.GetUtcNow();
        var due = DateTimeOffset.FromUnixTimeMilliseconds(end);
        if (now < due)
        {
            // Early (clocks differ): not before the period ends.
            await jobs.EnqueueEmailAsync(job, due - now, cancellationToken);
            return;
        }
        var owner = options.Value.OwnerEmail;
        var key = "digest-" + start;
        if (string.IsNullOrWhiteSpace(owner))
        {
            await digest.ForgetAsync(await digest.TakeAsync(start, cancellationToken), cancellationToken);
            return;
        }
        switch (await ledger.TryClaimAsync(key, job.Kind, owner, ClaimLease, cancellationToken))
        {
            case EmailClaim.AlreadySent:
                // Sent, and its sender died before forgetting what it listed.
                await digest.ForgetAsync(await digest.TakenAsync(start, cancellationToken), cancellationToken);
                await ScheduleIfWaitingAsync(cancellationToken);
                return;
            case EmailClaim.InFlight:
                // Another instance is sending it: look again soon (it is sent by then, and this job
                // ends), and keep looking until its lease runs out if that instance died.
                var again = TimeSpan.FromMinutes(Math.Min(ClaimLease.TotalMinutes, options.Value.HeldDigestMinutes));
                await jobs.EnqueueEmailAsync(job, again, cancellationToken);
                return;
        }
        IReadOnlyList<string> ids;
        var comments = new List<StoredComment>();
        try
        {
            ids = await digest.TakeAsync(start, cancellationToken);
            foreach (var id in ids)
            {
                // As it is now: one the owner already approved, deleted or marked spam is not news.
                if (await store.FindAsync(id, cancellationToken) is { } comment &&
                    (comment.Status == CommentStatus.Pending || comment.IsPublished && options.Value.DigestPublished))
                    comments.Add(comment);
            }
        }
        catch
        {
            await ledger.ReleaseAsync(key, job.Kind, owner, CancellationToken.None);
            throw;
        }
        if (comments.Count == 0)
        {
            await ledger.ReleaseAsync(key, job.Kind, owner, cancellationToken);
            await digest.ForgetAsync(ids, cancellationToken);
            await ScheduleIfWaitingAsync(cancellationToken);
            return;
        }
        comments.Sort((a, b) => a.CreatedAt.CompareTo(b.CreatedAt));
        if (await DeliverAsync(job, composer.OwnerDigest(comments), key, null, activity, cancellationToken))
            await digest.ForgetAsync(ids, cancellationToken);
        await ScheduleIfWaitingAsync(cancellationToken);
    }

    /// <summary>A comment that arrived after its period's digest took the rest goes in the next one.</summary>
    private async Task ScheduleIfWaitingAsync(CancellationToken cancellationToken)
    {
        if (await digest.AnyWaitingAsync(cancellationToken))
            await ScheduleDigestAsync(cancellationToken);
    }

    /// <summary>The ledger's key for the confirmation emails of one period, as long as a confirmation link lives.</summary>
    public static string ConfirmationPeriod(DateTimeOffset now) =>
        "confirm-" + now.ToUnixTimeSeconds() / (long)LinkSigner.ConfirmLifetime.TotalSeconds;

    /// <summary>The email a job calls for now, or null when none is due (the comment is gone,
    /// spam, not published, the reader did not ask or has not confirmed, or answered themselves).</summary>
    private async Task<Email?> ComposeAsync(NotificationJob job, CancellationToken cancellationToken)
    {
        if (job.Kind == NotificationJob.SignIn)
        {
            // A link that would arrive dead is not sent; nor one for an owner no longer configured.
            if (string.IsNullOrWhiteSpace(options.Value.OwnerEmail) || SignInLinks.Expiry(job.CommentId) is not { } expiry || expiry <= clock.GetUtcNow())
                return null;
            return composer.SignInLink(job.CommentId);
        }
        var comment = await store.FindAsync(job.CommentId, cancellationToken);
        if (comment is null)
            return null;
        switch (job.Kind)
        {
            case NotificationJob.Owner when !string.IsNullOrWhiteSpace(options.Value.OwnerEmail) &&
                                            comment.Status is CommentStatus.Published or CommentStatus.Pending:
                return composer.OwnerAlert(comment);
            case NotificationJob.Reply when comment.Status == CommentStatus.Published && comment.ParentId is not null:
                var parent = await store.GetAsync(comment.Thread, comment.ParentId, cancellationToken);
                // Only the author of a comment readers can see, who asked, and not about their own reply.
                if (parent is not { Status: CommentStatus.Published, NotifyOnReply: true } ||
                    string.Equals(parent.Email, comment.Email, StringComparison.OrdinalIgnoreCase) ||
                    await authors.HasOptedOutOfRepliesAsync(parent.Email, cancellationToken))
                    return null;
                if (!await authors.HasConfirmedRepliesAsync(parent.Email, cancellationToken))
                {
                    // Asked but never confirmed (the confirmation was lost, or the comment predates
                    // double opt-in): not this reply, but a confirmation, once a period.
                    await jobs.EnqueueEmailAsync(new NotificationJob(NotificationJob.Confirm, parent.Id, TraceParent: job.TraceParent, TraceState: job.TraceState), null, cancellationToken);
                    logger.LogInformation("No reply email about comment {CommentId}: the parent's author has not confirmed their address", comment.Id);
                    return null;
                }
                return composer.ReplyNotification(comment, parent);
            // Only for a comment readers can see (published, or approved since): a held comment, which
            // anyone can post with anyone's address, makes the blog write to nobody.
            case NotificationJob.Confirm when comment is { NotifyOnReply: true, Status: CommentStatus.Published }:
                if (await authors.HasConfirmedRepliesAsync(comment.Email, cancellationToken) ||
                    await authors.HasOptedOutOfRepliesAsync(comment.Email, cancellationToken))
                    return null;
                return composer.ReplyConfirmation(comment);
            default:
                return null;
        }
    }
}
