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
    public const string AdminSessions = Admin + "/sessions";
    public const string AdminSessionsSignOut = Admin + "/sessions/signout";

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

/// <summary>Who may use a route, declared once on the table and enforced by <see cref="ApiRoutes.InvokeAsync"/> before any handler runs.</summary>
public enum Access
{
    /// <summary>Anyone: readers, the widget, the sign-in forms (which guard themselves with rate limits).</summary>
    Public,
    /// <summary>The owner only: the bearer key, or a console session (same origin, and the anti-forgery token to change anything); see <see cref="OwnerAccess"/>.</summary>
    Owner,
    /// <summary>Whoever holds a signed link from an email: the handler checks the link's signature and expiry before anything.</summary>
    SignedLink,
}

/// <summary>One route of the API: its name (the Function App's function of the same name), methods, path, who may use it, and handler.</summary>
public sealed record ApiRoute(string Name, string[] Methods, string Pattern, Access Access, RouteHandler Handler);

/// <summary>
/// The HTTP API, written once: every route with its handler. The self-host maps this table in a
/// loop; the Function App has one thin class per route (Azure Functions needs one), which runs
/// the route of its name, and a test checks that the two agree. Both run a route through
/// <see cref="InvokeAsync"/>, the one place where a route's <see cref="Access"/> is enforced.
/// </summary>
public sealed class ApiRoutes
{
    private readonly Dictionary<string, ApiRoute> _byName;
    private readonly OwnerAccess _access;

    public ApiRoutes(OwnerAccess access, CommentsApi comments, AdminApi admin, DataApi data, EmailLinksApi links, WidgetAssets widget, SessionApi session, ConsoleAssets console)
    {
        All =
        [
            new("PostComment", ["POST"], Routes.Comments, Access.Public, comments.PostCommentAsync),
            new("GetThread", ["GET"], Routes.Comments, Access.Public, comments.GetThreadAsync),
            new("GetCounts", ["GET"], Routes.Counts, Access.Public, comments.GetCountsAsync),
            new("GetHealth", ["GET"], Routes.Health, Access.Public, comments.GetHealthAsync),
            new("GetWidget", ["GET", "HEAD"], Routes.Widget, Access.Public, (request, _) => Task.FromResult(widget.Serve(Value(request, "file")))),

            new("ListComments", ["GET"], Routes.AdminComments, Access.Owner, admin.ListAsync),
            new("ApproveComment", ["POST"], Routes.AdminComment + "/approve", Access.Owner, (r, ct) => admin.DecideAsync(r, Value(r, "id"), OwnerDecisions.Approve, ct)),
            new("MarkSpam", ["POST"], Routes.AdminComment + "/spam", Access.Owner, (r, ct) => admin.DecideAsync(r, Value(r, "id"), OwnerDecisions.Spam, ct)),
            new("MarkHam", ["POST"], Routes.AdminComment + "/ham", Access.Owner, (r, ct) => admin.DecideAsync(r, Value(r, "id"), OwnerDecisions.Ham, ct)),
            new("HoldComment", ["POST"], Routes.AdminComment + "/hold", Access.Owner, (r, ct) => admin.DecideAsync(r, Value(r, "id"), OwnerDecisions.Hold, ct)),
            new("DeleteComment", ["DELETE"], Routes.AdminComment, Access.Owner, (r, ct) => admin.DecideAsync(r, Value(r, "id"), OwnerDecisions.Delete, ct)),
            new("GetComment", ["GET"], Routes.AdminComment, Access.Owner, (r, ct) => admin.GetAsync(r, Value(r, "id"), ct)),
            new("EditComment", ["PATCH"], Routes.AdminComment, Access.Owner, (r, ct) => admin.EditAsync(r, Value(r, "id"), ct)),
            new("ReplyAsOwner", ["POST"], Routes.AdminComment + "/reply", Access.Owner, (r, ct) => admin.ReplyAsync(r, Value(r, "id"), ct)),
            new("DecideMany", ["POST"], Routes.AdminBulk, Access.Owner, admin.BulkAsync),
            new("GetStats", ["GET"], Routes.AdminStats, Access.Owner, admin.StatsAsync),
            new("GetLists", ["GET"], Routes.AdminLists, Access.Owner, admin.GetListsAsync),
            new("SaveLists", ["PUT"], Routes.AdminLists, Access.Owner, admin.SaveListsAsync),
            new("EmptySpam", ["POST"], Routes.AdminEmptySpam, Access.Owner, admin.EmptySpamAsync),

            new("GetSession", ["GET"], Routes.AdminSession, Access.Owner, session.GetAsync),
            new("RequestSignInLink", ["POST"], Routes.AdminSessionLink, Access.Public, session.RequestLinkAsync),
            new("ConfirmSignIn", ["GET"], Routes.AdminSessionSignIn, Access.SignedLink, (r, _) => Task.FromResult(session.ConfirmLink(r))),
            new("SignInWithLink", ["POST"], Routes.AdminSessionSignIn, Access.SignedLink, session.SignInWithLinkAsync),
            new("SignInWithKey", ["POST"], Routes.AdminSessionKey, Access.Public, session.SignInWithKeyAsync),
            new("SignOut", ["POST"], Routes.AdminSessionSignOut, Access.Owner, session.SignOutAsync),
            new("ListSessions", ["GET"], Routes.AdminSessions, Access.Owner, session.ListSessionsAsync),
            new("SignOutEverywhere", ["POST"], Routes.AdminSessionsSignOut, Access.Owner, session.SignOutEverywhereAsync),
            new("GetConsole", ["GET"], Routes.Console, Access.Public, (_, _) => Task.FromResult(console.Serve(ConsoleAssets.Page))),
            new("GetConsoleFile", ["GET"], Routes.ConsoleFile, Access.Public, (r, _) => Task.FromResult(console.Serve(Value(r, "file")))),
            new("ImportComments", ["POST"], Routes.Admin + Routes.AdminImportPath, Access.Owner, data.ImportAsync),
            new("ExportComments", ["GET"], Routes.Admin + Routes.AdminExportPath, Access.Owner, data.ExportAsync),
            new("FindPersonalData", ["GET"], Routes.Admin + Routes.AdminPersonalDataPath, Access.Owner, data.FindAsync),
            new("ErasePersonalData", ["POST"], Routes.Admin + Routes.AdminErasePath, Access.Owner, data.EraseAsync),

            new("ConfirmModeration", ["GET"], Routes.Moderate, Access.SignedLink, (r, ct) => links.ConfirmModerationAsync(r, Value(r, "id"), Value(r, "action"), ct)),
            new("Moderate", ["POST"], Routes.Moderate, Access.SignedLink, (r, ct) => links.ModerateAsync(r, Value(r, "id"), Value(r, "action"), ct)),
            new("ConfirmUnsubscribe", ["GET"], Routes.Unsubscribe, Access.SignedLink, (r, _) => Task.FromResult(links.ConfirmUnsubscribe(r, Value(r, "id")))),
            new("Unsubscribe", ["POST"], Routes.Unsubscribe, Access.SignedLink, (r, ct) => links.UnsubscribeAsync(r, Value(r, "id"), ct)),
            new("ConfirmRepliesPage", ["GET"], Routes.ConfirmReplies, Access.SignedLink, (r, ct) => links.ConfirmRepliesPageAsync(r, Value(r, "id"), ct)),
            new("ConfirmReplies", ["POST"], Routes.ConfirmReplies, Access.SignedLink, (r, ct) => links.ConfirmRepliesAsync(r, Value(r, "id"), ct)),
        ];
        _access = access;
        _byName = All.ToDictionary(r => r.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<ApiRoute> All { get; }

    /// <summary>Runs the route named <paramref name="name"/> with the route values a Function
    /// App trigger bound (the self-host's router sets them itself).</summary>
    public Task<IResult> RunAsync(string name, HttpRequest request, CancellationToken cancellationToken, params (string Key, string Value)[] routeValues)
    {
        foreach (var (key, value) in routeValues)
            request.RouteValues[key] = value;
        return InvokeAsync(_byName[name], request, cancellationToken);
    }

    /// <summary>Runs a route for either host: an owner route answers its refusal (401, 403, 429) to
    /// anyone who is not the owner, and its handler never runs.</summary>
    public async Task<IResult> InvokeAsync(ApiRoute route, HttpRequest request, CancellationToken cancellationToken)
    {
        if (route.Access == Access.Owner && await _access.RefuseAsync(request, cancellationToken) is { } refused)
            return refused;
        return await route.Handler(request, cancellationToken);
    }

    private static string Value(HttpRequest request, string key) => request.RouteValues[key]?.ToString() ?? "";
}
