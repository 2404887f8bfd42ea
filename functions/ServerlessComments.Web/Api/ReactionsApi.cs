using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;
using ServerlessComments.Reactions;
using ServerlessComments.Threads;

namespace ServerlessComments.Web.Api;

/// <summary>
/// Likes, page reactions and pins over HTTP: no rule lives here. Reacting is <see cref="ReaderReactions"/>,
/// pinning <see cref="Pinning"/>.
/// </summary>
public sealed class ReactionsApi(ReaderReactions reactions, Pinning pinning, IOptions<NetworkOptions> network)
{
    /// <summary>The cap on a reaction's JSON body (declared on the route table): a thread (at most
    /// 400 characters, maybe \u-escaped), an id, an emoji and a reader id fit with room.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    /// <summary>A reaction's body, for <c>POST</c> and <c>DELETE /api/reactions</c>.</summary>
    public sealed record ReactionRequest(string? Thread, string? Comment, string? Emoji, string? Reader);

    public sealed record Count(int Value);

    /// <summary><c>POST /api/reactions</c> (add) and <c>DELETE /api/reactions</c> (remove): the target's count after it.</summary>
    public async Task<IResult> ReactAsync(HttpRequest request, bool add, CancellationToken cancellationToken)
    {
        var body = JsonBody.Of<ReactionRequest>(request);
        var ip = ClientContext.From(request, network.Value).Ip;
        return await reactions.ReactAsync(new Reaction(body.Thread, body.Comment, body.Emoji, body.Reader), add, ip, cancellationToken) switch
        {
            ReactOutcome.Counted c => TypedResults.Ok(new { count = c.Count }),
            ReactOutcome.Invalid i => Problems.Field(i.Field, i.Message),
            ReactOutcome.NotFound n => Problems.Field(n.Field, n.Message, StatusCodes.Status404NotFound),
            ReactOutcome.TooFast f => Problems.TooMany(f.Seconds, $"Too many reactions from this network: try again in {f.Seconds} s."),
            ReactOutcome.Off => Problems.Field(Problems.WholeRequest, "Reactions are turned off on this site.", StatusCodes.Status404NotFound),
            var other => throw new InvalidOperationException("Unknown outcome " + other),
        };
    }

    /// <summary><c>GET /api/reactions?thread=…</c>: the thread's likes, page reactions and pinned
    /// comment, as published beside its view: one storage read, with an ETag.</summary>
    public async Task<IResult> GetAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var threads = request.Query["thread"];
        if (threads.Count != 1)
            return Problems.Field("thread", "Give exactly one thread, e.g. ?thread=/2024/03/my-post/.");
        if (CommentValidator.ThreadProblem(threads[0]) is { } problem)
            return Problems.Field("thread", problem);
        var ifNoneMatch = request.Headers.IfNoneMatch.Count == 1 && request.Headers.IfNoneMatch[0] is { Length: > 0 and < 200 } tag && !tag.Contains(',') ? tag.Trim() : null;
        var document = await reactions.CountsAsync(threads[0]!, ifNoneMatch, cancellationToken);
        return new DocumentResult(document, document.Json.Length == 0 || document.ETag == ifNoneMatch);
    }

    /// <summary><c>POST</c>/<c>DELETE /api/admin/comments/{id}/pin</c>: the owner pins a comment to the top of its thread, or unpins it.</summary>
    public async Task<IResult> PinAsync(string id, bool pin, CancellationToken cancellationToken) =>
        await pinning.PinAsync(id, pin, cancellationToken) switch
        {
            PinOutcome.Done => TypedResults.NoContent(),
            PinOutcome.NotTopLevel => Problems.Field("id", "Only a top-level comment can be pinned: a reply belongs under the comment it answers."),
            _ => Problems.Field("id", "There is no published comment with this id.", StatusCodes.Status404NotFound),
        };

    private sealed class DocumentResult(ViewDocument document, bool notModified) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.Headers.ETag = document.ETag;
            context.Response.Headers.CacheControl = ThreadReading.CacheControl;
            if (notModified)
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                return Task.CompletedTask;
            }
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = document.Json.Length;
            return context.Response.Body.WriteAsync(document.Json, context.RequestAborted).AsTask();
        }
    }
}
