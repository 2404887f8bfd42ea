using Microsoft.AspNetCore.Http;
using ServerlessComments.Comments;
using ServerlessComments.Moderation;
using ServerlessComments.Owner;

namespace ServerlessComments.Web.Api;

/// <summary>
/// The owner's API under <c>/api/admin/</c>, for the console and for scripts alike (bearer key or
/// console session, see <see cref="OwnerAccess"/>): list and search comments with everything the
/// public never sees; approve, mark spam, mark not spam, delete, one or many, through the same
/// <see cref="OwnerDecisions"/> as every other entry point; reply as the author and edit a
/// comment's text (<see cref="OwnerWriting"/>); edit the owner's lists; empty the spam folder.
/// </summary>
public sealed class AdminApi(OwnerInbox inbox, OwnerDecisions decisions, OwnerWriting writing, OwnerRules rules)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int MaxBulk = 200;
    /// <summary>The list's <c>status</c> for every status at once.</summary>
    public const string AllStatuses = "all";
    public const int MaxBodyBytes = 64 * 1024;
    public const int MaxListsBytes = 1024 * 1024;

    public sealed record AdminComment(
        string Id, string Thread, string? ParentId, CommentStatus Status, string Author, string Email, string? Website, string Body,
        DateTime CreatedAt, DateTime? EditedAt, bool ByOwner, string? PageUrl, string? PageTitle, string? Ip, string? UserAgent, string? Referrer,
        IReadOnlyList<string> Reasons)
    {
        /// <summary>Deleted by its author, kept as a placeholder for its replies.</summary>
        public bool Deleted { get; init; }
        /// <summary>The author's earlier texts, oldest first.</summary>
        public IReadOnlyList<CommentRevision> History { get; init; } = [];

        public static AdminComment From(StoredComment c) => new(
            c.Id, c.Thread, c.ParentId, c.Status, c.Author, c.Email, c.Website, c.Body, c.CreatedAt.UtcDateTime, c.EditedAt?.UtcDateTime, c.ByOwner,
            c.PageUrl, c.PageTitle, c.Ip, c.UserAgent, c.Referrer, c.Reasons) { Deleted = c.Deleted, History = c.History };
    }

    public sealed record AdminCommentPage(IReadOnlyList<AdminComment> Comments, string? ContinuationToken);
    public sealed record CommentDetail(AdminComment Comment, AdminComment? Parent, bool NewAuthor, IReadOnlyList<AdminComment> ByAuthor);
    public sealed record BulkRequest(OwnerDecision? Action, IReadOnlyList<string>? Ids);
    public sealed record TextRequest(string? Body);

    /// <summary><c>GET /api/admin/comments?status=pending|spam|published|all&amp;thread=…&amp;q=…&amp;continuationToken=…&amp;pageSize=…</c>:
    /// newest first; <c>q</c> finds a word of the text, the author or the address.</summary>
    public async Task<IResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var word = query["status"].ToString() is { Length: > 0 } s ? s : CommentStatus.Pending.Word();
        var status = CommentStatuses.Parse(word);
        if (status is null && word != AllStatuses)
            return Problems.Field("status", "status must be pending, spam, published or all.");
        string? thread = query["thread"].ToString() is { Length: > 0 } t ? t : null;
        if (thread is not null && CommentValidator.ThreadProblem(thread) is { } threadProblem)
            return Problems.Field("thread", threadProblem);
        string? q = query["q"].ToString() is { Length: > 0 } text ? text : null;
        if (q is { Length: > 200 })
            return Problems.Field("q", "Search for at most 200 characters.");
        string? after = query["continuationToken"].ToString() is { Length: > 0 } c ? c : null;
        if (after is not null && !CommentId.IsWellFormed(after))
            return Problems.Field("continuationToken", "This is not a continuation token from this API.");
        var pageSize = DefaultPageSize;
        if (query["pageSize"].ToString() is { Length: > 0 } p && (!int.TryParse(p, out pageSize) || pageSize is < 1 or > MaxPageSize))
            return Problems.Field("pageSize", $"pageSize must be a number from 1 to {MaxPageSize}.");

        var page = await inbox.PageAsync(status, thread, q, after, pageSize, cancellationToken);
        return TypedResults.Ok(new AdminCommentPage(page.Comments.Select(AdminComment.From).ToList(), page.Next));
    }

    /// <summary><c>GET /api/admin/comments/{id}</c>: one comment with what a decision needs.</summary>
    public async Task<IResult> GetAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (!CommentId.IsWellFormed(id) || await inbox.DetailAsync(id, cancellationToken) is not { } detail)
            return NoSuchComment();
        return TypedResults.Ok(new CommentDetail(AdminComment.From(detail.Comment), detail.Parent is null ? null : AdminComment.From(detail.Parent),
            detail.NewAuthor, detail.ByAuthor.Select(AdminComment.From).ToList()));
    }

    /// <summary><c>GET /api/admin/stats</c>: how many comments are held, spam, published.</summary>
    public async Task<IResult> StatsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        return TypedResults.Ok(await inbox.CountsAsync(cancellationToken));
    }

    /// <summary><c>POST /api/admin/comments/{id}/approve|spam|ham</c> and <c>DELETE /api/admin/comments/{id}</c>.
    /// Approve publishes a held or spam comment; spam hides it and tells Akismet (submit-spam), and with
    /// <c>?block=email</c> also blocks its address; ham publishes it and tells Akismet (submit-ham). Idempotent.</summary>
    public async Task<IResult> DecideAsync(HttpRequest request, string id, OwnerDecision action, CancellationToken cancellationToken)
    {
        var block = request.Query["block"].ToString();
        if (block.Length > 0 && (action != OwnerDecisions.Spam || block != "email"))
            return Problems.Field("block", "block=email goes with marking spam only.");
        var comment = await decisions.DecideAsync(id, action, cancellationToken);
        if (comment is null)
            return NoSuchComment();
        if (block == "email")
            await rules.BlockEmailAsync(comment.Email, cancellationToken);
        return action == OwnerDecisions.Delete ? TypedResults.NoContent() : TypedResults.Ok(AdminComment.From(comment));
    }

    /// <summary><c>POST /api/admin/comments/bulk</c> <c>{"action": …, "ids": […]}</c>: one decision on up to 200 comments.</summary>
    public async Task<IResult> BulkAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = JsonBody.Of<BulkRequest>(request);
        if (body.Action is not { } action)
            return Problems.Field("action", "action must be approve, spam, ham, hold or delete.");
        if (body.Ids is not { Count: > 0 and <= MaxBulk } ids)
            return Problems.Field("ids", $"ids must list from 1 to {MaxBulk} comment ids.");
        if (ids.FirstOrDefault(i => !CommentId.IsWellFormed(i)) is { } bad)
            return Problems.Field("ids", $"\"{bad}\" is not a comment id.");
        var (done, missing) = await decisions.DecideAllAsync(ids, action, cancellationToken);
        return TypedResults.Ok(new { done, missing });
    }

    /// <summary><c>POST /api/admin/comments/{id}/reply</c> <c>{"body": …}</c>: the owner's reply, published at once.</summary>
    public async Task<IResult> ReplyAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var body = JsonBody.Of<TextRequest>(request);
        return await writing.ReplyAsync(id, body.Body, cancellationToken) switch
        {
            OwnerWriting.Outcome.Done done => TypedResults.Created((string?)null, new { comment = AdminComment.From(done.Comment) }),
            OwnerWriting.Outcome.Invalid invalid => Problems.Fields(invalid.Errors),
            _ => NoSuchComment(),
        };
    }

    /// <summary><c>PATCH /api/admin/comments/{id}</c> <c>{"body": …}</c>: corrects a comment's text; the public thread says it was edited.</summary>
    public async Task<IResult> EditAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        var body = JsonBody.Of<TextRequest>(request);
        return await writing.EditAsync(id, body.Body, cancellationToken) switch
        {
            OwnerWriting.Outcome.Done done => TypedResults.Ok(AdminComment.From(done.Comment)),
            OwnerWriting.Outcome.Invalid invalid => Problems.Fields(invalid.Errors),
            _ => NoSuchComment(),
        };
    }

    /// <summary><c>GET /api/admin/lists</c>: the owner's block and hold lists, and the spam retention.</summary>
    public async Task<IResult> GetListsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        return TypedResults.Ok(await rules.CurrentAsync(cancellationToken));
    }

    /// <summary><c>PUT /api/admin/lists</c>: replaces them; every instance applies them within a minute (this one at once).</summary>
    public async Task<IResult> SaveListsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (lists, problems) = OwnerLists.Clean(JsonBody.Of<OwnerLists>(request));
        if (lists is null)
            return Problems.Fields(problems);
        await rules.SaveAsync(lists, cancellationToken);
        return TypedResults.Ok(lists);
    }

    /// <summary><c>POST /api/admin/spam/empty</c>: deletes every spam comment.</summary>
    public async Task<IResult> EmptySpamAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        return TypedResults.Ok(new { deleted = await decisions.DeleteSpamAsync(null, cancellationToken) });
    }

    private static IResult NoSuchComment() => Problems.Field("id", "There is no comment with this id.", StatusCodes.Status404NotFound);
}
