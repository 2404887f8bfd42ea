using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ServerlessComments.Notifications;
using ServerlessComments.Owner;
using ServerlessComments.Texts;
using ServerlessComments.Web.Console;

namespace ServerlessComments.Web.Api;

/// <summary>
/// Signing in to the console and out of it: <c>/api/admin/session…</c>. The rules are
/// <see cref="OwnerSessions"/>'; this class only turns them into cookies and answers.
/// </summary>
public sealed class SessionApi(OwnerSessions sessions, OwnerAccess access, IOptions<NotificationOptions> notifications, IOptions<NetworkOptions> network)
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;
    public const int MaxBodyBytes = 4 * 1024;
    private Strings Say => Strings.For(notifications.Value.Lang);

    public sealed record LinkRequest(string? Email);
    public sealed record KeyRequest(string? Key);
    public sealed record SessionInfo(bool SignedIn, string? Csrf, DateTime? ExpiresAt, string SiteName, string Lang);

    /// <summary><c>GET /api/admin/session</c>: who is signed in, and the token state-changing requests carry.</summary>
    public async Task<IResult> GetAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var session = OwnerAccess.SessionOf(request);
        return TypedResults.Ok(new SessionInfo(true, session?.Csrf, session?.ExpiresAt.UtcDateTime, notifications.Value.SiteName, Say.Lang));
    }

    /// <summary><c>POST /api/admin/session/link</c> <c>{"email": …}</c>: 202 whatever the address, so the answer tells nobody who the owner is.</summary>
    public async Task<IResult> RequestLinkAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (Off() is { } off)
            return off;
        if (!OwnerAccess.IsSameOrigin(request))
            return Problems.Field("origin", "Ask for a sign-in link from the console's own page.", StatusCodes.Status403Forbidden);
        var body = JsonBody.Of<LinkRequest>(request);
        if (string.IsNullOrWhiteSpace(body.Email) || body.Email.Length > 254 || !body.Email.Contains('@'))
            return Problems.Field("email", "Type an email address.");
        var wait = await sessions.RequestLinkAsync(body.Email, ClientContext.From(request, network.Value).Ip, cancellationToken);
        if (wait is { } w)
            return Problems.TooMany(Seconds(w), "Wait a little before asking for another link.");
        return TypedResults.Accepted((string?)null, new { sent = true });
    }

    /// <summary><c>GET /api/admin/session/signin?token=…</c>: the emailed link opens a page whose button signs in
    /// (mail scanners open links by themselves, and a GET must not use up a one-time link).</summary>
    public IResult ConfirmLink(HttpRequest request)
    {
        if (Off() is { } off)
            return off;
        var q = request.Query;
        var check = sessions.Check(q["token"], q["expires"], q["sig"]);
        if (check != OwnerSessions.LinkCheck.Valid)
            return LinkRefused(check);
        var body = $"<form method=\"post\" action=\"{Html.Encode(request.Path + request.QueryString)}\"><button type=\"submit\">{Html.Encode(Say.Page("signInButton"))}</button></form>";
        return Page(200, Say.Page("signInTitle"), body);
    }

    /// <summary><c>POST /api/admin/session/signin?token=…</c>: uses the link once, sets the session cookie, and goes to the console.</summary>
    public async Task<IResult> SignInWithLinkAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (Off() is { } off)
            return off;
        var q = request.Query;
        var (session, check) = await sessions.UseLinkAsync(q["token"], q["expires"], q["sig"], ClientContext.From(request, network.Value).UserAgent, cancellationToken);
        if (session is null)
            return LinkRefused(check);
        access.SetCookie(request, session);
        return Results.Redirect("/" + Routes.Prefix + "/" + Routes.Console, permanent: false, preserveMethod: false);
    }

    /// <summary><c>POST /api/admin/session/key</c> <c>{"key": …}</c>: 204 and the cookie, or 401.</summary>
    public async Task<IResult> SignInWithKeyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (Off() is { } off)
            return off;
        if (!OwnerAccess.IsSameOrigin(request))
            return Problems.Field("origin", "Sign in from the console's own page.", StatusCodes.Status403Forbidden);
        var body = JsonBody.Of<KeyRequest>(request);
        var client = ClientContext.From(request, network.Value);
        var (session, wait) = await sessions.SignInWithKeyAsync(body.Key, client.Ip, client.UserAgent, cancellationToken);
        if (wait is { } w)
            return Problems.TooMany(Seconds(w), "Too many attempts: wait a little.");
        if (session is null)
            return Problems.Field("key", "This is not the admin key.", StatusCodes.Status401Unauthorized);
        access.SetCookie(request, session);
        return TypedResults.NoContent();
    }

    /// <summary><c>POST /api/admin/session/signout</c>: ends the session (everywhere: its id is revoked), and clears the cookie.</summary>
    public async Task<IResult> SignOutAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (OwnerAccess.SessionOf(request) is { } session)
            await sessions.SignOutAsync(session, cancellationToken);
        OwnerAccess.ClearCookie(request);
        return TypedResults.NoContent();
    }

    public sealed record SessionEntry(DateTime CreatedAt, DateTime LastUsedAt, DateTime ExpiresAt, string? UserAgent, bool Current);

    /// <summary><c>GET /api/admin/sessions</c>: the open console sessions, last used first; <c>current</c> marks this one.</summary>
    public async Task<IResult> ListSessionsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var current = OwnerAccess.SessionOf(request)?.Handle;
        var open = await sessions.ListAsync(cancellationToken);
        return TypedResults.Ok(new
        {
            sessions = open.Select(s => new SessionEntry(s.CreatedAt.UtcDateTime, s.LastUsedAt.UtcDateTime, s.ExpiresAt.UtcDateTime, s.UserAgent, s.Handle == current)).ToList(),
        });
    }

    /// <summary><c>POST /api/admin/sessions/signout</c>: ends every console session, this one too (a bearer key is not a session and keeps working).</summary>
    public async Task<IResult> SignOutEverywhereAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var ended = await sessions.SignOutEverywhereAsync(cancellationToken);
        OwnerAccess.ClearCookie(request);
        return TypedResults.Ok(new { ended });
    }

    private IResult? Off() => sessions.IsOn ? null :
        Problems.Field(Problems.WholeRequest, "The console is off: set Admin__ApiKey to turn it on.", StatusCodes.Status404NotFound);

    private static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    private IResult LinkRefused(OwnerSessions.LinkCheck check) => check switch
    {
        OwnerSessions.LinkCheck.Expired => Page(410, Say.Page("expiredLinkTitle"), $"<p>{Html.Encode(Say.Page("signInExpired"))}</p>"),
        OwnerSessions.LinkCheck.Used => Page(410, Say.Page("signInUsedTitle"), $"<p>{Html.Encode(Say.Page("signInUsed"))}</p>"),
        _ => Page(403, Say.Page("invalidLinkTitle"), $"<p>{Html.Encode(Say.Page("invalidLink"))}</p>"),
    };

    private IResult Page(int status, string title, string body) => new SecurePage(status, new StringBuilder("<!doctype html><html lang=\"").Append(Say.Lang)
        .Append("\"><head><meta charset=\"utf-8\"><meta name=\"robots\" content=\"noindex\"><meta name=\"viewport\" content=\"width=device-width\"><title>")
        .Append(Html.Encode(title)).Append("</title><link rel=\"stylesheet\" href=\"/api/console/console.css\"></head><body class=\"page\"><main><h1>")
        .Append(Html.Encode(title)).Append("</h1>").Append(body).Append("</main></body></html>").ToString());
}
