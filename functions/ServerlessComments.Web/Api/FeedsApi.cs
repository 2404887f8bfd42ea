using Microsoft.AspNetCore.Http;
using ServerlessComments.Comments;
using ServerlessComments.Feeds;
using ServerlessComments.Texts;

namespace ServerlessComments.Web.Api;

/// <summary><c>GET /api/feeds/thread.atom?thread=…</c> and <c>GET /api/feeds/comments.atom</c>: Atom 1.0
/// feeds of published comments (<see cref="CommentFeeds"/>), with an ETag (<c>If-None-Match</c> gets 304);
/// <c>&amp;lang=</c> picks the language of the feed's titles.</summary>
public sealed class FeedsApi(CommentFeeds feeds)
{
    public async Task<IResult> ThreadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var threads = request.Query["thread"];
        if (threads.Count != 1)
            return Problems.Field("thread", "Give exactly one thread, e.g. ?thread=/2024/03/my-post/.");
        if (CommentValidator.ThreadProblem(threads[0]) is { } problem)
            return Problems.Field("thread", problem);
        if (Lang(request) is { } bad)
            return bad;
        var ifNoneMatch = IfNoneMatch(request);
        var feed = await feeds.ThreadAsync(threads[0]!, LangOf(request), ifNoneMatch, cancellationToken);
        return new FeedResult(feed ?? new FeedDocument([], ifNoneMatch!), feed is null);
    }

    public async Task<IResult> SiteAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (Lang(request) is { } bad)
            return bad;
        var feed = await feeds.SiteAsync(LangOf(request), cancellationToken);
        return new FeedResult(feed, feed.ETag == IfNoneMatch(request));
    }

    private static string? LangOf(HttpRequest request) => request.Query["lang"].FirstOrDefault() is { Length: > 0 } lang ? lang : null;

    private static IResult? Lang(HttpRequest request) =>
        LangOf(request) is { } lang && !Strings.Languages.Contains(lang)
            ? Problems.Field("lang", "lang must be one of " + string.Join(", ", Strings.Languages.Order()) + ".")
            : null;

    private static string? IfNoneMatch(HttpRequest request) =>
        request.Headers.IfNoneMatch.Count == 1 && request.Headers.IfNoneMatch[0] is { Length: > 0 and < 200 } tag && !tag.Contains(',') ? tag.Trim() : null;

    private sealed class FeedResult(FeedDocument feed, bool notModified) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            var headers = context.Response.Headers;
            headers.ETag = feed.ETag;
            headers.CacheControl = CommentFeeds.CacheControl;
            headers.XContentTypeOptions = "nosniff";
            if (notModified)
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                return Task.CompletedTask;
            }
            context.Response.ContentType = CommentFeeds.ContentType;
            context.Response.ContentLength = feed.Xml.Length;
            return context.Response.Body.WriteAsync(feed.Xml, context.RequestAborted).AsTask();
        }
    }
}
