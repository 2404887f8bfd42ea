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
        api.MapMethods(WidgetAssets.Route, ["GET", "HEAD"], (string file, WidgetAssets widget) => widget.Serve(file));

        api.MapGet(CommentRoutes.AdminComments, (HttpRequest request, AdminApi admin, CancellationToken ct) => admin.ListAsync(request, ct));
        api.MapPost(CommentRoutes.AdminComment + "/approve", (HttpRequest request, string id, AdminApi admin, CancellationToken ct) => admin.ApproveAsync(request, id, ct));
        api.MapPost(CommentRoutes.AdminComment + "/spam", (HttpRequest request, string id, AdminApi admin, CancellationToken ct) => admin.SpamAsync(request, id, ct));
        api.MapPost(CommentRoutes.AdminComment + "/ham", (HttpRequest request, string id, AdminApi admin, CancellationToken ct) => admin.HamAsync(request, id, ct));
        api.MapDelete(CommentRoutes.AdminComment, (HttpRequest request, string id, AdminApi admin, CancellationToken ct) => admin.DeleteAsync(request, id, ct));

        api.MapGet(CommentRoutes.Moderate, (HttpRequest request, string id, string action, EmailLinksApi links, CancellationToken ct) => links.ConfirmModerationAsync(request, id, action, ct));
        api.MapPost(CommentRoutes.Moderate, (HttpRequest request, string id, string action, EmailLinksApi links, CancellationToken ct) => links.ModerateAsync(request, id, action, ct));
        api.MapGet(CommentRoutes.Unsubscribe, (HttpRequest request, string id, EmailLinksApi links) => links.ConfirmUnsubscribe(request, id));
        api.MapPost(CommentRoutes.Unsubscribe, (HttpRequest request, string id, EmailLinksApi links, CancellationToken ct) => links.UnsubscribeAsync(request, id, ct));
        return app;
    }
}
