using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;
using ServerlessComments.Jobs;
using ServerlessComments.Moderation;
using ServerlessComments.Notifications;
using ServerlessComments.Threads;

namespace ServerlessComments.Owner;

/// <summary>
/// The owner's own words: a reply as the blog's author (published at once, marked as the owner's,
/// and emailing the parent's author when they asked), and an edit of a comment's text (a typo, a
/// broken link), which the public thread shows as edited. Text is checked as a reader's is.
/// </summary>
public sealed class OwnerWriting(
    ICommentStore store, IAuthorRecords authors, IJobQueue jobs, ThreadViewUpdater views, OwnerDecisions decisions, IOptions<NotificationOptions> notifications,
    TimeProvider clock, ILogger<OwnerWriting> logger)
{
    public abstract record Outcome
    {
        public sealed record Done(StoredComment Comment) : Outcome;
        public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : Outcome;
        public sealed record NotFound : Outcome;
    }

    /// <summary>The name and address the owner answers under: the blog's sender name (else its name) and the owner's address.</summary>
    public (string Name, string Email) Signature
    {
        get
        {
            var o = notifications.Value;
            var name = OwnerIdentity.NameOf(o);
            var email = string.IsNullOrWhiteSpace(o.OwnerEmail) ? o.FromEmail : o.OwnerEmail;
            return (name, email);
        }
    }

    public async Task<Outcome> ReplyAsync(string parentId, string? body, CancellationToken cancellationToken)
    {
        var parent = await store.FindAsync(parentId, cancellationToken);
        if (parent is null)
            return new Outcome.NotFound();
        if (parent.Status == CommentStatus.Spam)
            return new Outcome.Invalid(new Dictionary<string, string[]> { ["parentId"] = ["This comment is marked spam: mark it not spam before answering it."] });
        var (name, email) = Signature;
        var now = clock.GetUtcNow();
        var form = new CommentForm
        {
            Thread = parent.Thread, ParentId = parent.Id, PageUrl = parent.PageUrl, PageTitle = parent.PageTitle,
            Author = name, Email = email, Body = body, Lang = notifications.Value.Lang,
        };
        var checkedForm = CommentValidator.Validate(form, CommentId.New(now), now);
        if (checkedForm.Submission is not { } submission)
            return new Outcome.Invalid(checkedForm.Errors);

        // The owner's reply needs no verdict: stored published, with the owner's mark.
        var (stored, _) = await store.AddOnceAsync(StoredComment.From(submission, CommentStatus.Published, ["written by the owner"]) with { ByOwner = true }, cancellationToken);
        // Answering a held comment approves it (as WordPress's "Approve and Reply"): a reply under a hidden comment would show under nothing.
        if (parent.Status == CommentStatus.Pending)
            await decisions.DecideAsync(parent.Id, OwnerDecisions.Approve, cancellationToken);
        await authors.MarkKnownAuthorAsync(stored.Email, stored.Author, cancellationToken);
        await views.RefreshAsync(stored, cancellationToken);
        await store.ReindexAsync(stored, cancellationToken, isNew: true);
        await jobs.EnqueueEmailAsync(new NotificationJob(NotificationJob.Reply, stored.Id), null, cancellationToken);
        logger.LogInformation("The owner replied to comment {CommentId} with {ReplyId}", parent.Id, stored.Id);
        return new Outcome.Done(stored);
    }

    public async Task<Outcome> EditAsync(string id, string? body, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var comment = await store.FindAsync(id, cancellationToken);
            if (comment is null)
                return new Outcome.NotFound();
            var now = clock.GetUtcNow();
            var form = new CommentForm { Thread = comment.Thread, Author = comment.Author, Email = comment.Email, Body = body, Lang = notifications.Value.Lang };
            var checkedForm = CommentValidator.Validate(form, comment.Id, now);
            if (checkedForm.Submission is not { } submission)
                return new Outcome.Invalid(checkedForm.Errors.Where(e => e.Key == "body").ToDictionary());
            if (submission.Body == comment.Body)
                return new Outcome.Done(comment);
            try
            {
                var saved = await store.SaveStatusAsync(comment with { Body = submission.Body, EditedAt = now, Reasons = [.. comment.Reasons, "owner: text edited"] }, cancellationToken);
                if (saved.IsPublished)
                    await views.RefreshAsync(saved, cancellationToken);
                logger.LogInformation("Comment {CommentId}: text edited by the owner", id);
                return new Outcome.Done(saved);
            }
            catch (CommentChangedException) when (attempt < 3)
            {
                // Changed meanwhile (a decision, the privacy job): edit the new version.
            }
        }
    }
}
