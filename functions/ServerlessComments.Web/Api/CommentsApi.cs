using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ServerlessComments.Accepting;
using ServerlessComments.Comments;
using ServerlessComments.Threads;

namespace ServerlessComments.Web.Api;

/// <summary>
/// The readers' side of API v1: HTTP in, the core's services, HTTP out. No rule lives here:
/// accepting a comment is <see cref="CommentAcceptance"/>, reading a thread <see cref="ThreadReading"/>.
/// </summary>
public sealed class CommentsApi(
    CommentAcceptance acceptance,
    ThreadReading reading,
    IOptions<NetworkOptions> network,
    HealthReport health,
    Editing.ReaderEdits edits)
{
    /// <summary>The cap on a comment's JSON body (declared on the route table). Room for the largest valid comment however its JSON is written: 10,000 emoji sent
    /// as \u escapes are 120 KB, before the other fields.</summary>
    public const int MaxRequestBytes = 256 * 1024;
    public const int MaxThreadsPerCount = ThreadReading.MaxThreadsPerCount;

    /// <param name="EditToken">The secret that lets its author edit or delete it until <paramref name="EditUntil"/>; absent when edits are off.</param>
    public sealed record Accepted(string Id, string Thread, string Status)
    {
        [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        public string? EditToken { get; init; }
        [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        public DateTime? EditUntil { get; init; }
    }
    public sealed record ThreadCounts(IReadOnlyDictionary<string, int> Counts);

    /// <summary><c>POST /api/comments</c>: validate, refuse duplicates and floods, enqueue once,
    /// answer <c>202</c>. No third-party call happens here: the spam check runs in the processor.</summary>
    public async Task<IResult> PostCommentAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var form = JsonBody.Of<CommentForm>(request);
        var client = ClientContext.From(request, network.Value);
        var idempotencyKey = request.Headers.TryGetValue(IdempotencyKeys.Header, out var key) ? key.ToString() : null;
        return await acceptance.AcceptAsync(form, client, CommentSource.Reader, cancellationToken, idempotencyKey: idempotencyKey) switch
        {
            AcceptOutcome.Accepted a => TypedResults.Accepted((string?)null, new Accepted(a.Comment.Id, a.Comment.Thread, "pending")
            {
                EditToken = edits.TokenFor(a.Comment)?.Token,
                EditUntil = edits.TokenFor(a.Comment)?.Until.UtcDateTime,
            }),
            AcceptOutcome.Invalid i => Problems.Fields(i.Errors),
            AcceptOutcome.Duplicate d => Problems.Field("body", d.Message, StatusCodes.Status409Conflict),
            AcceptOutcome.TooFast f => Problems.TooMany(f.Seconds, f.Message),
            AcceptOutcome.KeyReused k => Problems.Field(IdempotencyKeys.Header, k.Message, StatusCodes.Status422UnprocessableEntity),
            var other => throw new InvalidOperationException("Unknown outcome " + other),
        };
    }

    /// <summary><c>GET /api/comments?thread=…[&amp;order=oldest|newest][&amp;after=cursor]</c>: a page of
    /// the thread's published comments, nested, as stored: one storage read, with an ETag
    /// (<c>If-None-Match</c> gets <c>304</c>) and a short public cache lifetime.</summary>
    public async Task<IResult> GetThreadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var threads = query["thread"];
        if (threads.Count != 1)
            return Problems.Field("thread", "Give exactly one thread, e.g. ?thread=/2024/03/my-post/.");
        if (CommentValidator.ThreadProblem(threads[0]) is { } problem)
            return Problems.Field("thread", problem);
        var order = query["order"].ToString() is { Length: > 0 } o ? o : ThreadOrder.Oldest;
        if (!ThreadOrder.All.Contains(order))
            return Problems.Field("order", "order must be oldest or newest.");
        PageCursor? after = null;
        if (query["after"].ToString() is { Length: > 0 } cursor && ((after = PageCursor.Parse(cursor)) is null || after.Order != order))
            return Problems.Field("after", "after must be the next cursor of a page of this thread in this order.");

        var ifNoneMatch = IfNoneMatch(request);
        var page = await reading.ReadAsync(threads[0]!, order, after, ifNoneMatch, cancellationToken);
        return new ThreadPageResult(page, page.Json.Length == 0 || page.ETag == ifNoneMatch);
    }

    /// <summary><c>GET /api/comments/count?thread=a&amp;thread=b</c>: published comments per thread,
    /// from the site's counts document (at most one storage read, shared by the requests of the
    /// next second), with an ETag (<c>If-None-Match</c> gets <c>304</c>) and the pages' cache lifetime.</summary>
    public async Task<IResult> GetCountsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var threads = request.Query["thread"].Distinct(StringComparer.Ordinal).ToList();
        if (threads.Count is 0 or > MaxThreadsPerCount)
            return Problems.Field("thread", $"Give between 1 and {MaxThreadsPerCount} threads, each as ?thread=….");
        var bad = threads.Select(CommentValidator.ThreadProblem).FirstOrDefault(p => p is not null);
        if (bad is not null)
            return Problems.Field("thread", bad);
        var counts = ViewDocument.Of(JsonSerializer.SerializeToUtf8Bytes(new ThreadCounts(await reading.CountAsync(threads!, cancellationToken)), CommentJson.Options));
        return new ThreadPageResult(counts, counts.ETag == IfNoneMatch(request));
    }

    /// <summary><c>GET /api/health</c>: 200 when the table and the queue answer (and Akismet's key,
    /// when configured, is not refused), 503 otherwise.</summary>
    public async Task<IResult> GetHealthAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var report = await health.CheckAsync(cancellationToken);
        return report.Healthy
            ? TypedResults.Ok(report)
            : Problems.Fields(report.Problems, StatusCodes.Status503ServiceUnavailable);
    }

    private static string? IfNoneMatch(HttpRequest request) =>
        request.Headers.IfNoneMatch.Count == 1 && request.Headers.IfNoneMatch[0] is { Length: > 0 and < 200 } tag && !tag.Contains(',') ? tag.Trim() : null;

    /// <summary>A stored page (or the counts) as it is: bytes, not objects (nothing is parsed or built per view).</summary>
    private sealed class ThreadPageResult(ViewDocument page, bool notModified) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            var headers = context.Response.Headers;
            headers.ETag = page.ETag;
            // Browsers revalidate every time (a 304 is cheap, and a reader who just posted must see
            // their comment on reload); a CDN in front may serve a view for 5 seconds.
            headers.CacheControl = ThreadReading.CacheControl;
            if (notModified)
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                return Task.CompletedTask;
            }
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = page.Json.Length;
            return context.Response.Body.WriteAsync(page.Json, context.RequestAborted).AsTask();
        }
    }
}
