using Microsoft.AspNetCore.Http;
using ServerlessComments.Owner;
using ServerlessComments.Web.Console;
using ServerlessComments.Web.Widget;

namespace ServerlessComments.Web.Api;

/// <summary>The paths of API v1, below the <c>/api</c> prefix (host.json's <c>routePrefix</c>),
/// as constants, because the Function App's trigger attributes need constants.</summary>
public static class Routes
{
    public const string Prefix = "api";
    public const string Comments = "comments";
    public const string Counts = "comments/count";
    public const string Health = "health";
    public const string Widget = "widget/{file}";

    public const string Moderate = "moderate/{id}/{action}";
    public const string Unsubscribe = "unsubscribe/{id}";
    public const string ConfirmReplies = "confirm/{id}";

    public const string Admin = "admin";
    public const string AdminCommentsPath = "/comments";
    public const string AdminCommentPath = "/comments/{id}";
    public const string AdminComments = Admin + AdminCommentsPath;
    public const string AdminComment = Admin + AdminCommentPath;
    public const string AdminBulk = Admin + "/comments/bulk";
    public const string AdminStats = Admin + "/stats";
    public const string AdminLists = Admin + "/lists";
    public const string AdminEmptySpam = Admin + "/spam/empty";
    public const string AdminSession = Admin + "/session";
    public const string AdminSessionLink = Admin + "/session/link";
    public const string AdminSessionSignIn = Admin + "/session/signin";
    public const string AdminSessionKey = Admin + "/session/key";
    public const string AdminSessionSignOut = Admin + "/session/signout";

    public const string Console = "console";
    public const string ConsoleFile = "console/{file}";
    public const string AdminImportPath = "/import";
    public const string AdminExportPath = "/export";
    public const string AdminPersonalDataPath = "/personal-data";
    public const string AdminErasePath = "/personal-data/erase";

    // The Functions host refuses routes that start with "admin" (its own /admin API), even
    // under the /api prefix; a route parameter constrained to the one word "admin" serves the
    // same paths, /api/admin/..., without tripping that check (azure-functions-host#1781).
    public const string FunctionsAdmin = "{area:regex(^admin$)}";

    /// <summary>The path a Function App trigger declares for a route of the table.</summary>
    public static string ForFunctions(string pattern) =>
        pattern.StartsWith(Admin + "/", StringComparison.Ordinal) ? FunctionsAdmin + pattern[Admin.Length..] : pattern;
}

/// <summary>How every route is answered: the request (route values in <c>RouteValues</c>) in, an answer out.</summary>
public delegate Task<IResult> RouteHandler(HttpRequest request, CancellationToken cancellationToken);

/// <summary>One route of the API: its name (the Function App's function of the same name), methods, path and handler.</summary>
public sealed record ApiRoute(string Name, string[] Methods, string Pattern, RouteHandler Handler);

/// <summary>
/// The HTTP API, written once: every route with its handler. The self-host maps this table in a
/// loop; the Function App has one thin class per route (Azure Functions needs one), which runs
/// the route of its name, and a test checks that the two agree.
/// </summary>
public sealed class ApiRoutes
{
    private readonly Dictionary<string, ApiRoute> _byName;

    public ApiRoutes(CommentsApi comments, AdminApi admin, DataApi data, EmailLinksApi links, WidgetAssets widget, SessionApi session, ConsoleAssets console)
    {
        All =
        [
            new("PostComment", ["POST"], Routes.Comments, comments.PostCommentAsync),
            new("GetThread", ["GET"], Routes.Comments, comments.GetThreadAsync),
            new("GetCounts", ["GET"], Routes.Counts, comments.GetCountsAsync),
            new("GetHealth", ["GET"], Routes.Health, comments.GetHealthAsync),
            new("GetWidget", ["GET", "HEAD"], Routes.Widget, (request, _) => Task.FromResult(widget.Serve(Value(request, "file")))),

            new("ListComments", ["GET"], Routes.AdminComments, admin.ListAsync),
            new("ApproveComment", ["POST"], Routes.AdminComment + "/approve", (r, ct) => admin.DecideAsync(r, Value(r, "id"), OwnerDecisions.Approve, ct)),
            new("MarkSpam", ["POST"], Routes.AdminComment + "/spam", (r, ct) => admin.DecideAsync(r, Value(r, "id"), OwnerDecisions.Spam, ct)),
            new("MarkHam", ["POST"], Routes.AdminComment + "/ham", (r, ct) => admin.DecideAsync(r, Value(r, "id"), OwnerDecisions.Ham, ct)),
            new("HoldComment", ["POST"], Routes.AdminComment + "/hold", (r, ct) => admin.DecideAsync(r, Value(r, "id"), OwnerDecisions.Hold, ct)),
            new("DeleteComment", ["DELETE"], Routes.AdminComment, (r, ct) => admin.DecideAsync(r, Value(r, "id"), OwnerDecisions.Delete, ct)),
            new("GetComment", ["GET"], Routes.AdminComment, (r, ct) => admin.GetAsync(r, Value(r, "id"), ct)),
            new("EditComment", ["PATCH"], Routes.AdminComment, (r, ct) => admin.EditAsync(r, Value(r, "id"), ct)),
            new("ReplyAsOwner", ["POST"], Routes.AdminComment + "/reply", (r, ct) => admin.ReplyAsync(r, Value(r, "id"), ct)),
            new("DecideMany", ["POST"], Routes.AdminBulk, admin.BulkAsync),
            new("GetStats", ["GET"], Routes.AdminStats, admin.StatsAsync),
            new("GetLists", ["GET"], Routes.AdminLists, admin.GetListsAsync),
            new("SaveLists", ["PUT"], Routes.AdminLists, admin.SaveListsAsync),
            new("EmptySpam", ["POST"], Routes.AdminEmptySpam, admin.EmptySpamAsync),

            new("GetSession", ["GET"], Routes.AdminSession, session.GetAsync),
            new("RequestSignInLink", ["POST"], Routes.AdminSessionLink, session.RequestLinkAsync),
            new("ConfirmSignIn", ["GET"], Routes.AdminSessionSignIn, (r, _) => Task.FromResult(session.ConfirmLink(r))),
            new("SignInWithLink", ["POST"], Routes.AdminSessionSignIn, session.SignInWithLinkAsync),
            new("SignInWithKey", ["POST"], Routes.AdminSessionKey, session.SignInWithKeyAsync),
            new("SignOut", ["POST"], Routes.AdminSessionSignOut, session.SignOutAsync),
            new("GetConsole", ["GET"], Routes.Console, (_, _) => Task.FromResult(console.Serve(ConsoleAssets.Page))),
            new("GetConsoleFile", ["GET"], Routes.ConsoleFile, (r, _) => Task.FromResult(console.Serve(Value(r, "file")))),
            new("ImportComments", ["POST"], Routes.Admin + Routes.AdminImportPath, data.ImportAsync),
            new("ExportComments", ["GET"], Routes.Admin + Routes.AdminExportPath, data.ExportAsync),
            new("FindPersonalData", ["GET"], Routes.Admin + Routes.AdminPersonalDataPath, data.FindAsync),
            new("ErasePersonalData", ["POST"], Routes.Admin + Routes.AdminErasePath, data.EraseAsync),

            new("ConfirmModeration", ["GET"], Routes.Moderate, (r, ct) => links.ConfirmModerationAsync(r, Value(r, "id"), Value(r, "action"), ct)),
            new("Moderate", ["POST"], Routes.Moderate, (r, ct) => links.ModerateAsync(r, Value(r, "id"), Value(r, "action"), ct)),
            new("ConfirmUnsubscribe", ["GET"], Routes.Unsubscribe, (r, _) => Task.FromResult(links.ConfirmUnsubscribe(r, Value(r, "id")))),
            new("Unsubscribe", ["POST"], Routes.Unsubscribe, (r, ct) => links.UnsubscribeAsync(r, Value(r, "id"), ct)),
            new("ConfirmRepliesPage", ["GET"], Routes.ConfirmReplies, (r, ct) => links.ConfirmRepliesPageAsync(r, Value(r, "id"), ct)),
            new("ConfirmReplies", ["POST"], Routes.ConfirmReplies, (r, ct) => links.ConfirmRepliesAsync(r, Value(r, "id"), ct)),
        ];
        _byName = All.ToDictionary(r => r.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<ApiRoute> All { get; }

    /// <summary>Runs the route named <paramref name="name"/> with the route values a Function
    /// App trigger bound (the self-host's router sets them itself).</summary>
    public Task<IResult> RunAsync(string name, HttpRequest request, CancellationToken cancellationToken, params (string Key, string Value)[] routeValues)
    {
        foreach (var (key, value) in routeValues)
            request.RouteValues[key] = value;
        return _byName[name].Handler(request, cancellationToken);
    }

    private static string Value(HttpRequest request, string key) => request.RouteValues[key]?.ToString() ?? "";
}
