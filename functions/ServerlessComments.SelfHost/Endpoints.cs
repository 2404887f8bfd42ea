using ServerlessComments.Http;

namespace ServerlessComments.SelfHost;

public static class Endpoints
{
    /// <summary>The same routes as the Function App's HTTP triggers, bound to the same API.</summary>
    public static IEndpointRouteBuilder MapCommentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/" + CommentRoutes.Prefix);
        api.MapPost(CommentRoutes.Comments, (HttpRequest request, CommentsApi comments, CancellationToken ct) => comments.PostCommentAsync(request, ct));
        api.MapGet(CommentRoutes.Comments, (HttpRequest request, CommentsApi comments, CancellationToken ct) => comments.GetThreadAsync(request, ct));
        api.MapGet(CommentRoutes.Counts, (HttpRequest request, CommentsApi comments, CancellationToken ct) => comments.GetCountsAsync(request, ct));
        api.MapGet(CommentRoutes.Health, (CommentsApi comments, CancellationToken ct) => comments.GetHealthAsync(ct));
        return app;
    }
}
