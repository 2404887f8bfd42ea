namespace ServerlessComments.Http;

/// <summary>The routes of API v1, below the <c>/api</c> prefix (host.json's <c>routePrefix</c>).
/// Both hosts use these, so they serve the same paths.</summary>
public static class CommentRoutes
{
    public const string Prefix = "api";
    public const string Comments = "comments";
    public const string Counts = "comments/count";
    public const string Health = "health";
}
