using Microsoft.AspNetCore.Http;
using ServerlessComments.Comments;
using ServerlessComments.Moderation;
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
    /// <summary>One comment, for its author's edit or delete (with its edit token).</summary>
    public const string Comment = "comments/{id}";
    public const string Health = "health";
    public const string OpenApi = "openapi.json";
    public const string Widget = "widget/{file}";
    public const string Challenge = "challenge";

    public const string Moderate = "moderate/{id}/{action}";
    public const string Unsubscribe = "unsubscribe/{id}";
    public const string ConfirmReplies = "confirm/{id}";
    public const string YourData = "your-data";
    public const string YourDataLink = YourData + "/link";
    public const string Avatar = "avatars/{id}.svg";
    public const string ThreadFeed = "feeds/thread.atom";
    public const string SiteFeed = "feeds/comments.atom";
    public const string Preview = "preview";

    public const string Admin = "admin";
    public const string AdminCommentsPath = "/comments";
    public const string AdminCommentPath = "/comments/{id}";
    public const string AdminComments = Admin + AdminCommentsPath;
    public const string AdminComment = Admin + AdminCommentPath;
    public const string AdminBulk = Admin + "/comments/bulk";
    public const string AdminStats = Admin + "/stats";
    public const string AdminLists = Admin + "/lists";
    public const string AdminEmptySpam = Admin + "/spam/empty";
    public const string AdminSpamFilter = Admin + "/spam-filter";
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

    public const string Reactions = "reactions";
    public const string AdminPinPath = AdminCommentPath + "/pin";

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

/// <summary>One route of the API: its name (the Function App's function of the same name), methods, path, who may use it, and handler;
/// the statuses its handler answers, and its JSON body, if it takes one (read at the edge, see <see cref="JsonBody"/>).
/// The API description (<c>openapi.json</c>) is held to these declarations by a test.</summary>
public sealed record ApiRoute(string Name, string[] Methods, string Pattern, Access Access, RouteHandler Handler)
{
    /// <summary>What the handler itself answers; the edge's own refusals are added by <see cref="AllStatuses"/>.</summary>
    public required int[] Statuses { get; init; }

    public JsonBody? Body { get; init; }

    /// <summary>Every status the route can answer: its handler's, the owner check's, the body reader's.</summary>
    public IReadOnlyList<int> AllStatuses => Statuses
        .Concat(Access == Access.Owner ? OwnerAccess.Statuses : [])
        .Concat(Body is null ? [] : JsonBody.Statuses)
        .Distinct().Order().ToList();
}

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

    public ApiRoutes(OwnerAccess access, CommentsApi comments, AdminApi admin, DataApi data, EmailLinksApi links, YourDataApi yourData, WidgetAssets widget, SessionApi session, ConsoleAssets console,
        ApiDescription description, ChallengeApi challenge, AvatarsApi avatars, FeedsApi feeds, ReactionsApi reactions, PreviewApi preview, ReaderEditsApi readerEdits, SpamFilterApi spamFilter)
    {
        All =
        [
            new("PostComment", ["POST"], Routes.Comments, Access.Public, comments.PostCommentAsync) { Statuses = [202, 400, 409, 422, 429], Body = JsonBody.For<CommentForm>(CommentsApi.MaxRequestBytes) },
            new("GetThread", ["GET"], Routes.Comments, Access.Public, comments.GetThreadAsync) { Statuses = [200, 304, 400] },
            new("EditOwnComment", ["PUT"], Routes.Comment, Access.Public, (r, ct) => readerEdits.EditAsync(r, Value(r, "id"), ct)) { Statuses = [202, 400, 403, 409, 410, 429], Body = JsonBody.For<ReaderEditsApi.EditRequest>(ReaderEditsApi.MaxBodyBytes) },
            new("DeleteOwnComment", ["DELETE"], Routes.Comment, Access.Public, (r, ct) => readerEdits.DeleteAsync(r, Value(r, "id"), ct)) { Statuses = [204, 403, 409, 410, 429] },
            new("GetCounts", ["GET"], Routes.Counts, Access.Public, comments.GetCountsAsync) { Statuses = [200, 304, 400] },
            new("GetHealth", ["GET"], Routes.Health, Access.Public, comments.GetHealthAsync) { Statuses = [200, 503] },
            new("GetOpenApi", ["GET"], Routes.OpenApi, Access.Public, (_, _) => Task.FromResult(description.Serve())) { Statuses = [200, 304] },
            new("GetWidget", ["GET", "HEAD"], Routes.Widget, Access.Public, (request, _) => Task.FromResult(widget.Serve(Value(request, "file"), request.Query["lang"].FirstOrDefault()))) { Statuses = [200, 304, 404] },

            new("ListComments", ["GET"], Routes.AdminComments, Access.Owner, admin.ListAsync) { Statuses = [200, 400] },
            new("ApproveComment", ["POST"], Routes.AdminComment + "/approve", Access.Owner, (r, ct) => admin.DecideAsync(r, Value(r, "id"), OwnerDecisions.Approve, ct)) { Statuses = [200, 400, 404] },
            new("MarkSpam", ["POST"], Routes.AdminComment + "/spam", Access.Owner, (r, ct) => admin.DecideAsync(r, Value(r, "id"), OwnerDecisions.Spam, ct)) { Statuses = [200, 400, 404] },
            new("MarkHam", ["POST"], Routes.AdminComment + "/ham", Access.Owner, (r, ct) => admin.DecideAsync(r, Value(r, "id"), OwnerDecisions.Ham, ct)) { Statuses = [200, 400, 404] },
            new("HoldComment", ["POST"], Routes.AdminComment + "/hold", Access.Owner, (r, ct) => admin.DecideAsync(r, Value(r, "id"), OwnerDecisions.Hold, ct)) { Statuses = [200, 400, 404] },
            new("DeleteComment", ["DELETE"], Routes.AdminComment, Access.Owner, (r, ct) => admin.DecideAsync(r, Value(r, "id"), OwnerDecisions.Delete, ct)) { Statuses = [204, 400, 404] },
            new("GetComment", ["GET"], Routes.AdminComment, Access.Owner, (r, ct) => admin.GetAsync(r, Value(r, "id"), ct)) { Statuses = [200, 404] },
            new("EditComment", ["PATCH"], Routes.AdminComment, Access.Owner, (r, ct) => admin.EditAsync(r, Value(r, "id"), ct)) { Statuses = [200, 400, 404], Body = JsonBody.For<AdminApi.TextRequest>(AdminApi.MaxBodyBytes) },
            new("ReplyAsOwner", ["POST"], Routes.AdminComment + "/reply", Access.Owner, (r, ct) => admin.ReplyAsync(r, Value(r, "id"), ct)) { Statuses = [201, 400, 404], Body = JsonBody.For<AdminApi.TextRequest>(AdminApi.MaxBodyBytes) },
            new("DecideMany", ["POST"], Routes.AdminBulk, Access.Owner, admin.BulkAsync) { Statuses = [200, 400], Body = JsonBody.For<AdminApi.BulkRequest>(AdminApi.MaxBodyBytes) },
            new("GetStats", ["GET"], Routes.AdminStats, Access.Owner, admin.StatsAsync) { Statuses = [200] },
            new("GetLists", ["GET"], Routes.AdminLists, Access.Owner, admin.GetListsAsync) { Statuses = [200] },
            new("SaveLists", ["PUT"], Routes.AdminLists, Access.Owner, admin.SaveListsAsync) { Statuses = [200, 400], Body = JsonBody.For<OwnerLists>(AdminApi.MaxListsBytes) },
            new("EmptySpam", ["POST"], Routes.AdminEmptySpam, Access.Owner, admin.EmptySpamAsync) { Statuses = [200] },
            new("GetSpamFilter", ["GET"], Routes.AdminSpamFilter, Access.Owner, spamFilter.GetAsync) { Statuses = [200] },
            new("ResetSpamFilter", ["POST"], Routes.AdminSpamFilter + "/reset", Access.Owner, spamFilter.ResetAsync) { Statuses = [200] },

            new("GetSession", ["GET"], Routes.AdminSession, Access.Owner, session.GetAsync) { Statuses = [200] },
            new("RequestSignInLink", ["POST"], Routes.AdminSessionLink, Access.Public, session.RequestLinkAsync) { Statuses = [202, 400, 403, 404, 429], Body = JsonBody.For<SessionApi.LinkRequest>(SessionApi.MaxBodyBytes) },
            new("ConfirmSignIn", ["GET"], Routes.AdminSessionSignIn, Access.SignedLink, (r, _) => Task.FromResult(session.ConfirmLink(r))) { Statuses = [200, 403, 404, 410] },
            new("SignInWithLink", ["POST"], Routes.AdminSessionSignIn, Access.SignedLink, session.SignInWithLinkAsync) { Statuses = [302, 403, 404, 410] },
            new("SignInWithKey", ["POST"], Routes.AdminSessionKey, Access.Public, session.SignInWithKeyAsync) { Statuses = [204, 401, 403, 404, 429], Body = JsonBody.For<SessionApi.KeyRequest>(SessionApi.MaxBodyBytes) },
            new("SignOut", ["POST"], Routes.AdminSessionSignOut, Access.Owner, session.SignOutAsync) { Statuses = [204] },
            new("ListSessions", ["GET"], Routes.AdminSessions, Access.Owner, session.ListSessionsAsync) { Statuses = [200] },
            new("SignOutEverywhere", ["POST"], Routes.AdminSessionsSignOut, Access.Owner, session.SignOutEverywhereAsync) { Statuses = [200] },
            new("GetConsole", ["GET"], Routes.Console, Access.Public, (_, _) => Task.FromResult(console.Serve(ConsoleAssets.Page))) { Statuses = [200, 304] },
            new("GetConsoleFile", ["GET"], Routes.ConsoleFile, Access.Public, (r, _) => Task.FromResult(console.Serve(Value(r, "file")))) { Statuses = [200, 304, 404] },
            new("ImportComments", ["POST"], Routes.Admin + Routes.AdminImportPath, Access.Owner, data.ImportAsync) { Statuses = [200, 400, 413] },
            new("ExportComments", ["GET"], Routes.Admin + Routes.AdminExportPath, Access.Owner, data.ExportAsync) { Statuses = [200, 400] },
            new("FindPersonalData", ["GET"], Routes.Admin + Routes.AdminPersonalDataPath, Access.Owner, data.FindAsync) { Statuses = [200, 400] },
            new("ErasePersonalData", ["POST"], Routes.Admin + Routes.AdminErasePath, Access.Owner, data.EraseAsync) { Statuses = [200, 400], Body = JsonBody.For<DataApi.EraseRequest>(DataApi.MaxEraseBytes) },

            new("ConfirmModeration", ["GET"], Routes.Moderate, Access.SignedLink, (r, ct) => links.ConfirmModerationAsync(r, Value(r, "id"), Value(r, "action"), ct)) { Statuses = [200, 403, 404, 410] },
            new("Moderate", ["POST"], Routes.Moderate, Access.SignedLink, (r, ct) => links.ModerateAsync(r, Value(r, "id"), Value(r, "action"), ct)) { Statuses = [200, 403, 404, 410] },
            new("ConfirmUnsubscribe", ["GET"], Routes.Unsubscribe, Access.SignedLink, (r, _) => Task.FromResult(links.ConfirmUnsubscribe(r, Value(r, "id")))) { Statuses = [200, 403, 404, 410] },
            new("Unsubscribe", ["POST"], Routes.Unsubscribe, Access.SignedLink, (r, ct) => links.UnsubscribeAsync(r, Value(r, "id"), ct)) { Statuses = [200, 403, 404, 410] },
            new("ConfirmRepliesPage", ["GET"], Routes.ConfirmReplies, Access.SignedLink, (r, ct) => links.ConfirmRepliesPageAsync(r, Value(r, "id"), ct)) { Statuses = [200, 403, 404, 410] },
            new("ConfirmReplies", ["POST"], Routes.ConfirmReplies, Access.SignedLink, (r, ct) => links.ConfirmRepliesAsync(r, Value(r, "id"), ct)) { Statuses = [200, 403, 404, 410] },

            new("RequestYourDataLink", ["POST"], Routes.YourDataLink, Access.Public, yourData.RequestLinkAsync) { Statuses = [202, 400, 404, 429], Body = JsonBody.For<YourDataApi.LinkRequest>(YourDataApi.MaxBodyBytes) },
            new("ShowYourData", ["GET"], Routes.YourData, Access.SignedLink, yourData.ShowAsync) { Statuses = [200, 403, 404, 410] },
            new("DownloadYourData", ["POST"], Routes.YourData + "/download", Access.SignedLink, yourData.DownloadAsync) { Statuses = [200, 403, 404, 410] },
            new("StopYourEmails", ["POST"], Routes.YourData + "/stop", Access.SignedLink, yourData.StopAsync) { Statuses = [200, 403, 404, 410] },
            new("EraseYourData", ["POST"], Routes.YourData + "/erase", Access.SignedLink, yourData.EraseAsync) { Statuses = [200, 400, 403, 404, 410] },

            new("GetChallenge", ["GET"], Routes.Challenge, Access.Public, challenge.GetAsync) { Statuses = [200, 204, 429] },
            new("GetAvatar", ["GET"], Routes.Avatar, Access.Public, (r, ct) => avatars.GetAsync(r, Value(r, "id"), ct)) { Statuses = [200, 304, 404] },
            new("GetThreadFeed", ["GET"], Routes.ThreadFeed, Access.Public, feeds.ThreadAsync) { Statuses = [200, 304, 400] },
            new("GetSiteFeed", ["GET"], Routes.SiteFeed, Access.Public, feeds.SiteAsync) { Statuses = [200, 304, 400] },
            new("GetReactions", ["GET"], Routes.Reactions, Access.Public, reactions.GetAsync) { Statuses = [200, 304, 400] },
            new("AddReaction", ["POST"], Routes.Reactions, Access.Public, (r, ct) => reactions.ReactAsync(r, add: true, ct)) { Statuses = [200, 400, 404, 429], Body = JsonBody.For<ReactionsApi.ReactionRequest>(ReactionsApi.MaxBodyBytes) },
            new("RemoveReaction", ["DELETE"], Routes.Reactions, Access.Public, (r, ct) => reactions.ReactAsync(r, add: false, ct)) { Statuses = [200, 400, 404, 429], Body = JsonBody.For<ReactionsApi.ReactionRequest>(ReactionsApi.MaxBodyBytes) },
            new("PinComment", ["POST"], Routes.Admin + Routes.AdminPinPath, Access.Owner, (r, ct) => reactions.PinAsync(Value(r, "id"), pin: true, ct)) { Statuses = [204, 400, 404] },
            new("UnpinComment", ["DELETE"], Routes.Admin + Routes.AdminPinPath, Access.Owner, (r, ct) => reactions.PinAsync(Value(r, "id"), pin: false, ct)) { Statuses = [204, 404] },
            new("PreviewComment", ["POST"], Routes.Preview, Access.Public, preview.PreviewAsync) { Statuses = [200, 400, 429], Body = JsonBody.For<PreviewApi.PreviewRequest>(CommentsApi.MaxRequestBytes) },
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
    /// anyone who is not the owner, and a route with a JSON body answers a bad one (400, 413, 415);
    /// either way its handler never runs.</summary>
    public async Task<IResult> InvokeAsync(ApiRoute route, HttpRequest request, CancellationToken cancellationToken)
    {
        if (route.Access == Access.Owner && await _access.RefuseAsync(request, cancellationToken) is { } refused)
            return refused;
        if (route.Body is { } body)
        {
            var (value, problem) = await body.ReadAsync(request, cancellationToken);
            if (problem is not null)
                return problem;
            JsonBody.Keep(request, value!);
        }
        return await route.Handler(request, cancellationToken);
    }

    private static string Value(HttpRequest request, string key) => request.RouteValues[key]?.ToString() ?? "";
}
