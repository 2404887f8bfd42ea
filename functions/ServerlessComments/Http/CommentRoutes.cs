namespace ServerlessComments.Http;

/// <summary>The routes of API v1, below the <c>/api</c> prefix (host.json's <c>routePrefix</c>).
/// Both hosts use these, so they serve the same paths.</summary>
public static class CommentRoutes
{
    public const string Prefix = "api";
    public const string Comments = "comments";
    public const string Counts = "comments/count";
    public const string Health = "health";

    public const string Moderate = "moderate/{id}/{action}";
    public const string Unsubscribe = "unsubscribe/{id}";

    public const string AdminComments = "admin/comments";
    public const string AdminComment = "admin/comments/{id}";

    // The Functions host refuses routes that start with "admin" (its own /admin API), even
    // under the /api prefix; a route parameter constrained to the one word "admin" serves the
    // same paths, /api/admin/..., without tripping that check.
    public const string FunctionsAdmin = "{area:regex(^admin$)}";
    public const string FunctionsAdminComments = FunctionsAdmin + "/comments";
    public const string FunctionsAdminComment = FunctionsAdmin + "/comments/{id}";
}
