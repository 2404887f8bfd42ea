using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;
using ServerlessComments.Owner;

namespace ServerlessComments.Web.Api;

/// <summary>
/// The owner's API under <c>/api/admin/</c>: list comments by status with everything the
/// public never sees, and approve, mark spam, mark not spam, delete, through the same
/// <see cref="OwnerDecisions"/> as every other entry point.
/// </summary>
public sealed class AdminApi(ICommentStore store, OwnerDecisions decisions, IOptions<AdminOptions> options)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public sealed record AdminComment(
        string Id, string Thread, string? ParentId, string Status, string Author, string Email, string? Website, string Body,
        DateTime CreatedAt, string? PageUrl, string? PageTitle, string? Ip, string? UserAgent, string? Referrer, IReadOnlyList<string> Reasons)
    {
        public static AdminComment From(StoredComment c) => new(
            c.Id, c.Thread, c.ParentId, c.Status, c.Author, c.Email, c.Website, c.Body, c.CreatedAt.UtcDateTime, c.PageUrl, c.PageTitle,
            c.Ip, c.UserAgent, c.Referrer, c.Reasons);
    }

    public sealed record AdminCommentPage(IReadOnlyList<AdminComment> Comments, string? ContinuationToken);

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

        var page = await store.ListAsync(status, thread, after, pageSize, cancellationToken);
        return TypedResults.Ok(new AdminCommentPage(page.Comments.Select(AdminComment.From).ToList(), page.Next));
    }

    /// <summary><c>POST /api/admin/comments/{id}/approve|spam|ham</c> and <c>DELETE /api/admin/comments/{id}</c>.
    /// Approve publishes a held or spam comment; spam hides it and tells Akismet (submit-spam); ham
    /// publishes it and tells Akismet (submit-ham). Idempotent.</summary>
    public async Task<IResult> DecideAsync(HttpRequest request, string id, string action, CancellationToken cancellationToken)
    {
        if (Refuse(request) is { } refused)
            return refused;
        var comment = await decisions.DecideAsync(id, action, cancellationToken);
        if (comment is null)
            return Problems.Field("id", "There is no comment with this id.", StatusCodes.Status404NotFound);
        return action == OwnerDecisions.Delete ? TypedResults.NoContent() : TypedResults.Ok(AdminComment.From(comment));
    }
}
