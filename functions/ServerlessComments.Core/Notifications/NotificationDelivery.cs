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
/// (SendGrid 429 or 5xx) gives the claim back and queues the job again after <c>Retry-After</c>;
/// after <see cref="NotificationOptions.MaxRetries"/> it throws, and the queue's own retries end
/// in the poison queue, which the replay command covers.
/// </summary>
public sealed class NotificationDelivery(
    ICommentStore store, IAuthorRecords authors, IEmailLedger ledger, IJobQueue jobs, EmailComposer composer, IEmailSender sender,
    IOptions<NotificationOptions> options, CommentMetrics metrics, TimeProvider clock, ILogger<NotificationDelivery> logger)
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
        SendResult result;
        try
        {
            result = await sender.SendAsync(email, cancellationToken);
        }
        catch
        {
            // Not sent (a timeout, a full disk): give the claim back so that the queue's retry can send it.
            await ledger.ReleaseAsync(claimFor, job.Kind, email.To, CancellationToken.None);
            throw;
        }
        if (result == SendResult.Off)
        {
            await ledger.ReleaseAsync(claimFor, job.Kind, email.To, cancellationToken);
            logger.LogWarning("The {Kind} email about comment {CommentId} was not sent: email is off (set SendGrid__ApiKey)", job.Kind, job.CommentId);
            return;
        }
        if (result.Sent)
        {
            await ledger.MarkSentAsync(claimFor, job.Kind, email.To, cancellationToken);
            metrics.EmailSent(job.Kind);
            activity?.SetTag("email.outcome", "sent");
            logger.LogInformation("Sent the {Kind} email about comment {CommentId}", email.Kind, job.CommentId);
            return;
        }

        await ledger.ReleaseAsync(claimFor, job.Kind, email.To, cancellationToken);
        if (result.RetryAfter is { } delay && job.Attempt < options.Value.MaxRetries)
        {
            var wait = delay > TimeSpan.Zero ? delay : TimeSpan.FromSeconds(Math.Min(3600, options.Value.RetryDelaySeconds * Math.Pow(2, job.Attempt)));
            await jobs.EnqueueEmailAsync(job with { Attempt = job.Attempt + 1 }, wait, cancellationToken);
            metrics.EmailRetried(job.Kind);
            activity?.SetTag("email.outcome", "retried");
            logger.LogWarning("The {Kind} email about comment {CommentId} will be retried in {Delay}: {Detail}", job.Kind, job.CommentId, wait, result.Detail);
            return;
        }
        metrics.EmailFailed(job.Kind);
        throw new InvalidOperationException($"The {job.Kind} email about comment {job.CommentId} could not be sent: {result.Detail}");
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
            case NotificationJob.Confirm when comment is { NotifyOnReply: true, Status: CommentStatus.Published or CommentStatus.Pending }:
                if (await authors.HasConfirmedRepliesAsync(comment.Email, cancellationToken) ||
                    await authors.HasOptedOutOfRepliesAsync(comment.Email, cancellationToken))
                    return null;
                return composer.ReplyConfirmation(comment);
            default:
                return null;
        }
    }
}
