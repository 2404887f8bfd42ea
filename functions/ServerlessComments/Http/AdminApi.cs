using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;
using ServerlessComments.Moderation;
using ServerlessComments.Notifications;
using ServerlessComments.Storage;

namespace ServerlessComments.Http;

/// <summary><c>Admin__ApiKey</c>: the owner's bearer token. Without one the admin API is off.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";
    public string ApiKey { get; set; } = "";
}

/// <summary>
/// The owner's API under <c>/api/admin/</c>: list comments by status with everything the
/// public never sees, and approve, mark spam, mark not spam, delete. Every state change is
/// idempotent and shows in the public thread and counts at once (they read the same rows).
/// </summary>
public sealed class AdminApi(CommentStore store, AkismetClient akismet, NotificationQueue notifications, IOptions<AdminOptions> options, ILogger<AdminApi> logger)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public sealed record AdminComment(
        string Id, string Thread, string? ParentId, string Status, string Author, string Email, string? Website, string Body,
        DateTime CreatedAt, string? PageUrl, string? PageTitle, string? Ip, string? UserAgent, string? Referrer, IReadOnlyList<string> Reasons)
    {
        public static AdminComment From(CommentEntity e) => new(
            e.RowKey, e.Thread, e.ParentId, e.Status, e.Author, e.Email, e.Website, e.Body, e.CreatedAt.UtcDateTime, e.PageUrl, e.PageTitle,
            NullIfEmpty(e.Ip), NullIfEmpty(e.UserAgent), NullIfEmpty(e.Referrer),
            (e.Reasons ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries));

        private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
    }

    public sealed record CommentPage(IReadOnlyList<AdminComment> Comments, string? ContinuationToken);

    /// <summary>Null when the request carries the admin key; otherwise the answer to give
    /// (404 when no key is configured: the admin API is off, never open; 401 otherwise).</summary>
    public IResult? Refuse(HttpRequest request)
    {
        var key = options.Value.ApiKey;
        if (string.IsNullOrEmpty(key))
            return Problems.Field(Problems.WholeRequest, "The admin API is off: set Admin__ApiKey to turn it on.", StatusCodes.Status404NotFound);
        var header = request.Headers.Authorization.ToString();
        var given = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        // Compare hashes in constant time: neither the key's content nor its length leaks through timing.
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(key))))
        {
            request.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return Problems.Field("authorization", "Send Authorization: Bearer <Admin__ApiKey>.", StatusCodes.Status401Unauthorized);
        }
        return null;
    }

    /// <summary><c>GET /api/admin/comments?status=pending|spam|published&amp;thread=…&amp;continuationToken=…&amp;pageSize=…</c></summary>
    public async Task<IResult> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (Refuse(request) is { } refused)
            return refused;
        var query = request.Query;
        var status = query["status"].ToString() is { Length: > 0 } s ? s : CommentStatus.Pending;
        if (status is not (CommentStatus.Pending or CommentStatus.Spam or CommentStatus.Published))
            return Problems.Field("status", "status must be pending, spam or published.");
        string? thread = query["thread"].ToString() is { Length: > 0 } t ? t : null;
        if (thread is not null && CommentValidator.ThreadProblem(thread) is { } threadProblem)
            return Problems.Field("thread", threadProblem);
        string? after = query["continuationToken"].ToString() is { Length: > 0 } c ? c : null;
        if (after is not null && !CommentId.IsWellFormed(after))
            return Problems.Field("continuationToken", "This is not a continuation token from this API.");
        var pageSize = DefaultPageSize;
        if (query["pageSize"].ToString() is { Length: > 0 } p && (!int.TryParse(p, out pageSize) || pageSize is < 1 or > MaxPageSize))
            return Problems.Field("pageSize", $"pageSize must be a number from 1 to {MaxPageSize}.");

        var (page, next) = await store.ListAsync(status, thread, after, pageSize, cancellationToken);
        return TypedResults.Ok(new CommentPage(page.Select(AdminComment.From).ToList(), next));
    }

    /// <summary><c>POST /api/admin/comments/{id}/approve</c>: publish a held or spam comment.</summary>
    public Task<IResult> ApproveAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        ActAsync(request, id, Approve, cancellationToken);

    /// <summary><c>POST /api/admin/comments/{id}/spam</c>: hide it as spam, and tell Akismet (submit-spam).</summary>
    public Task<IResult> SpamAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        ActAsync(request, id, Spam, cancellationToken);

    /// <summary><c>POST /api/admin/comments/{id}/ham</c>: not spam: publish it, and tell Akismet (submit-ham).</summary>
    public Task<IResult> HamAsync(HttpRequest request, string id, CancellationToken cancellationToken) =>
        ActAsync(request, id, Ham, cancellationToken);

    /// <summary><c>DELETE /api/admin/comments/{id}</c></summary>
    public async Task<IResult> DeleteAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (Refuse(request) is { } refused)
            return refused;
        return await DecideAsync(id, Delete, cancellationToken) is null ? NoSuchComment() : TypedResults.NoContent();
    }

    public const string Approve = "approve";
    public const string Spam = "spam";
    public const string Ham = "ham";
    public const string Delete = "delete";

    /// <summary>
    /// The owner's decision on a comment, whoever carries it (the admin API or a signed link in
    /// an email). Idempotent. Returns the comment as it now is, or null when there is no such comment.
    /// </summary>
    public async Task<CommentEntity?> DecideAsync(string id, string action, CancellationToken cancellationToken)
    {
        var comment = await store.FindAsync(id, cancellationToken);
        if (comment is null)
            return null;
        if (action == Delete)
        {
            await store.DeleteAsync(comment, cancellationToken);
            logger.LogInformation("Comment {CommentId} deleted by the owner", id);
            return comment;
        }
        var status = action == Spam ? CommentStatus.Spam : CommentStatus.Published;
        if (comment.Status == status)
            return comment;

        var was = comment.Status;
        await store.UpdateStatusAsync(comment, status, $"owner: {was} → {status}", cancellationToken);
        if (status == CommentStatus.Published)
        {
            await store.MarkKnownAuthorAsync(comment.Email, cancellationToken);
            if (comment.ParentId is not null)
                await notifications.EnqueueAsync(new NotificationJob(NotificationJob.Reply, comment.RowKey), cancellationToken);
        }
        // Akismet learns only from a correction (spam, or not spam), with the fields it judged.
        if (action is Spam or Ham && akismet.IsConfigured)
            await akismet.SubmitAsync(comment.ToAkismet(), action == Spam, cancellationToken);
        logger.LogInformation("Comment {CommentId}: {From} → {To} by the owner", id, was, status);
        return comment;
    }

    private async Task<IResult> ActAsync(HttpRequest request, string id, string action, CancellationToken cancellationToken)
    {
        if (Refuse(request) is { } refused)
            return refused;
        var comment = await DecideAsync(id, action, cancellationToken);
        return comment is null ? NoSuchComment() : TypedResults.Ok(AdminComment.From(comment));
    }

    private static IResult NoSuchComment() =>
        Problems.Field("id", "There is no comment with this id.", StatusCodes.Status404NotFound);
}
