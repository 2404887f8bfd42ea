using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Accepting;
using ServerlessComments.Comments;
using ServerlessComments.Jobs;
using ServerlessComments.Moderation;
using ServerlessComments.Owner;
using ServerlessComments.Telemetry;
using ServerlessComments.Threads;

namespace ServerlessComments.Editing;

/// <summary>Why an edit or delete by a comment's author was refused; nothing changed.</summary>
public enum EditRefusal
{
    /// <summary>Edits are off (<c>Comments__EditWindowMinutes=0</c>).</summary>
    Off,
    /// <summary>The token is not this comment's.</summary>
    WrongToken,
    /// <summary>The comment is not stored (yet): still being checked, or removed by the owner.</summary>
    NotYet,
    /// <summary>The edit window closed.</summary>
    Expired,
    /// <summary>Deleted, or marked spam by the owner.</summary>
    Gone,
    /// <summary>Edited <see cref="ReaderEdits.MaxEdits"/> times already.</summary>
    TooManyEdits,
}

public abstract record EditOutcome
{
    /// <summary>The edit is queued (or changed nothing): it is judged again, then shown.</summary>
    public sealed record Accepted(string Id, DateTimeOffset EditedAt) : EditOutcome;
    /// <summary>Deleted; <paramref name="Placeholder"/>: it had replies, and "comment deleted" stands in its place.</summary>
    public sealed record Deleted(bool Placeholder) : EditOutcome;
    public sealed record Refused(EditRefusal Reason, string Message) : EditOutcome;
    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : EditOutcome;
    public sealed record TooMany(int Seconds) : EditOutcome;
}

/// <summary>
/// A reader's second thoughts: for <see cref="EditOptions.EditWindowMinutes"/> after posting, whoever
/// holds the comment's edit token (given in the <c>202</c> of the post, see <see cref="EditTokens"/>)
/// may edit its text or delete it. An edit travels the queue like a new comment and is judged again
/// (<see cref="ApplyAsync"/>): a published comment that turns spam is hidden. A delete happens at once:
/// a comment with replies leaves a placeholder with nothing of its author's, one without disappears.
/// Two edits at once: the later accepted wins (the processor drops an edit older than the stored text).
/// </summary>
public sealed class ReaderEdits(
    ICommentStore store, IJobQueue jobs, ICommentModeration moderation, IAuthorRecords authors, ThreadViewUpdater views, EditTokens tokens,
    IAttemptCounters counters, GuardKeys keys, IOptions<EditOptions> options, TimeProvider clock, ILogger<ReaderEdits> logger, Placeholders placeholders)
{
    /// <summary>At most this many edits of one comment: what its history keeps.</summary>
    public const int MaxEdits = 5;
    /// <summary>The span over which <see cref="EditOptions.EditRequestsPerClient"/> counts.</summary>
    public static readonly TimeSpan RequestWindow = TimeSpan.FromMinutes(15);
    public const string EditedReason = "reader: text edited";
    public const string DeletedReason = "reader: deleted (kept as a placeholder for its replies)";

    /// <summary>The token and the end of the window for a comment just accepted; null when edits are off.</summary>
    public (string Token, DateTimeOffset Until)? TokenFor(CommentSubmission comment) =>
        options.Value.On ? (tokens.For(comment.Id), comment.CreatedAt + options.Value.Window) : null;

    public async Task<EditOutcome> EditAsync(string id, string? token, string? body, ClientInfo client, CancellationToken cancellationToken)
    {
        var (refusal, stored, now) = await CheckAsync(id, token, client, cancellationToken);
        if (refusal is not null)
            return refusal;
        if (stored!.History.Count >= MaxEdits)
            return new EditOutcome.Refused(EditRefusal.TooManyEdits, $"This comment was edited {MaxEdits} times already.");
        var checkedForm = CommentValidator.Validate(
            new CommentForm { Thread = stored.Thread, Author = stored.Author, Email = stored.Email, Body = body, Lang = stored.Lang }, stored.Id, now);
        if (checkedForm.Submission is not { } valid)
            return new EditOutcome.Invalid(checkedForm.Errors.Where(e => e.Key == "body").ToDictionary());
        if (valid.Body == stored.Body)
            return new EditOutcome.Accepted(stored.Id, stored.EditedAt ?? now);

        var (traceParent, traceState) = CommentTracing.Now();
        await jobs.EnqueueCommentAsync(new CommentSubmission
        {
            Id = stored.Id, Thread = stored.Thread, ParentId = stored.ParentId, PageUrl = stored.PageUrl, PageTitle = stored.PageTitle,
            Author = stored.Author, Email = stored.Email, Website = stored.Website, Body = valid.Body, NotifyOnReply = stored.NotifyOnReply,
            Lang = stored.Lang, CreatedAt = stored.CreatedAt, Ip = client.Ip, UserAgent = client.UserAgent, Referrer = client.Referrer,
            EditAt = now, TraceParent = traceParent, TraceState = traceState,
        }, delay: null, cancellationToken);
        logger.LogInformation("Comment {CommentId}: an edit by its author is queued", stored.Id);
        return new EditOutcome.Accepted(stored.Id, now);
    }

    public async Task<EditOutcome> DeleteAsync(string id, string? token, ClientInfo client, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (refusal, stored, _) = await CheckAsync(id, token, client, cancellationToken, countRequest: attempt == 1);
            if (refusal is EditOutcome.Refused { Reason: EditRefusal.Gone } && stored is { Deleted: true })
                return new EditOutcome.Deleted(true); // a retry: done already
            if (refusal is not null)
                return refusal;
            try
            {
                var placeholder = await placeholders.HaveRepliesAsync(stored!, cancellationToken);
                if (placeholder)
                    await store.SaveStatusAsync(stored! with
                    {
                        Author = "", Email = "", Website = null, Body = "", PageTitle = null, NotifyOnReply = false, History = [], Deleted = true,
                        Ip = null, UserAgent = null, Referrer = null, Honeypot = null,
                        // The verdict's reasons may quote the text: they go too.
                        Reasons = [DeletedReason],
                    }, cancellationToken);
                else
                    await store.DeleteAsync(stored!, cancellationToken);
                await views.RefreshAsync(stored!, cancellationToken);
                if (!placeholder)
                    await placeholders.ForgetEmptyAboveAsync(stored!, cancellationToken);
                logger.LogInformation("Comment {CommentId} deleted by its author{Placeholder}", stored!.Id, placeholder ? ", kept as a placeholder for its replies" : "");
                return new EditOutcome.Deleted(placeholder);
            }
            catch (CommentChangedException) when (attempt < 3)
            {
                // Changed meanwhile (its edit stored, an owner's decision): check it again.
            }
        }
    }

    /// <summary>Applies an edit from the queue: judged again, stored with the earlier text kept in
    /// its history, and the view refreshed. Safe to repeat: an edit older than (or as old as) the
    /// stored text changes nothing, and so does an edit of a comment deleted or marked spam meanwhile.</summary>
    /// <returns>False when it was put off (queued again for a later check).</returns>
    public async Task<bool> ApplyAsync(CommentSubmission edit, CancellationToken cancellationToken)
    {
        var at = edit.EditAt ?? throw new ArgumentException("Not an edit.", nameof(edit));
        for (var attempt = 1; ; attempt++)
        {
            var stored = await store.GetAsync(edit.Thread, edit.Id, cancellationToken);
            if (stored is null || stored.Deleted || stored.Status == CommentStatus.Spam)
            {
                logger.LogInformation("Edit of comment {CommentId} dropped: the comment was deleted or marked spam meanwhile", edit.Id);
                return true;
            }
            if (stored.EditedAt is { } last && last >= at || stored.History.Count >= MaxEdits || stored.Body == edit.Body)
            {
                logger.LogInformation("Edit of comment {CommentId} dropped: a later edit is stored, or this one is", edit.Id);
                return true;
            }
            var verdict = await moderation.JudgeAsync(edit, cancellationToken);
            if (verdict.RetryAfter is { } delay)
            {
                await jobs.EnqueueCommentAsync(edit with { Attempt = edit.Attempt + 1 }, delay, cancellationToken);
                logger.LogWarning("Edit of comment {CommentId}: {Reason}; judging again in {Delay}", edit.Id, string.Join("; ", verdict.Reasons), delay);
                return false;
            }
            // Judged again, never judged milder: a held comment stays held until the owner approves it.
            var status = verdict.Decision switch
            {
                Decision.Publish => stored.Status,
                Decision.Hold => CommentStatus.Pending,
                _ => CommentStatus.Spam,
            };
            var reason = status == stored.Status ? EditedReason : $"{EditedReason}: {stored.Status.Word()} → {status.Word()} ({string.Join("; ", verdict.Reasons)})";
            StoredComment saved;
            try
            {
                saved = await store.SaveStatusAsync(stored with
                {
                    Body = edit.Body, EditedAt = at, Status = status, Reasons = [.. stored.Reasons, reason],
                    History = [.. stored.History, new CommentRevision(stored.EditedAt ?? stored.CreatedAt, stored.Body)],
                }, cancellationToken);
            }
            catch (CommentChangedException) when (attempt < 3)
            {
                continue;
            }
            if (saved.Status == CommentStatus.Spam)
                await authors.ForgetKnownAuthorAsync(saved.Email, cancellationToken);
            if (stored.IsPublished || saved.IsPublished)
                await views.RefreshAsync(saved, cancellationToken);
            logger.LogInformation("Comment {CommentId} edited by its author: {Status}", edit.Id, saved.Status.Word());
            return true;
        }
    }

    private async Task<(EditOutcome? Refusal, StoredComment? Stored, DateTimeOffset Now)> CheckAsync(
        string id, string? token, ClientInfo client, CancellationToken cancellationToken, bool countRequest = true)
    {
        var now = clock.GetUtcNow();
        if (!options.Value.On)
            return (new EditOutcome.Refused(EditRefusal.Off, "Readers cannot edit or delete their comments on this site."), null, now);
        if (countRequest)
        {
            var count = await counters.AddAsync(keys.Flood("reader-edits\n" + (client.Ip ?? "unknown")), RequestWindow, now, cancellationToken);
            if (count.Count > options.Value.EditRequestsPerClient)
                return (new EditOutcome.TooMany(Math.Max(1, (int)Math.Ceiling((count.Since + RequestWindow - now).TotalSeconds))), null, now);
        }
        if (!CommentId.IsWellFormed(id) || !tokens.IsValid(id, token))
            return (new EditOutcome.Refused(EditRefusal.WrongToken, "This edit token is not this comment's."), null, now);
        var stored = await store.FindAsync(id, cancellationToken);
        var createdAt = stored?.CreatedAt ?? TimeOf(id);
        if (stored is { Deleted: true } || stored?.Status == CommentStatus.Spam)
            return (new EditOutcome.Refused(EditRefusal.Gone, "This comment was deleted, or removed by the site's owner."), stored, now);
        if (now > createdAt + options.Value.Window)
            return (new EditOutcome.Refused(EditRefusal.Expired, $"A comment can be changed for {options.Value.EditWindowMinutes} minutes after it is posted; that time is over."), stored, now);
        if (stored is null)
            return (new EditOutcome.Refused(EditRefusal.NotYet, "This comment is not stored yet (it is still being checked), or was removed: try again in a few seconds."), null, now);
        return (null, stored, now);
    }

    /// <summary>When a comment's id was made: its first 48 bits (a UUID version 7).</summary>
    internal static DateTimeOffset TimeOf(string id) => DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(id[..12], 16));
}
