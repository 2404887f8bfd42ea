using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ServerlessComments.Owner;

namespace ServerlessComments.Web.Api;

/// <summary>
/// Who may use the admin API: a script with <c>Authorization: Bearer &lt;Admin__ApiKey&gt;</c>, or the
/// owner's browser with a console session cookie. A cookie alone never changes anything: a
/// state-changing request must also come from this origin (<c>Origin</c>) and carry the
/// session's anti-forgery token (<c>X-CSRF-Token</c>), so a page elsewhere cannot act, even
/// though the browser would send the cookie (which SameSite=Strict already withholds). Wrong keys
/// are counted (<see cref="KeyAttempts"/>): past the limit, every attempt is 429 until its wait is over.
/// Only <see cref="ApiRoutes.InvokeAsync"/> calls this, for the routes the table declares <see cref="Access.Owner"/>.
/// </summary>
public sealed class OwnerAccess(OwnerSessions sessions, KeyAttempts attempts, IOptions<AdminOptions> options, IOptions<NetworkOptions> network)
{
    public const string CookieName = "sc_owner";
    public const string CsrfHeader = "X-CSRF-Token";

    /// <summary>What <see cref="RefuseAsync"/> may answer: the admin API off (404), no or a wrong key or session (401),
    /// another site (403), too many wrong keys (429).</summary>
    public static readonly int[] Statuses = [StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound, StatusCodes.Status429TooManyRequests];

    /// <summary>Null when the request may go on (a session is then in <see cref="SessionOf"/>); otherwise the refusal.</summary>
    public async Task<IResult?> RefuseAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.Value.ApiKey))
            return Problems.Field(Problems.WholeRequest, "The admin API is off: set Admin__ApiKey to turn it on.", StatusCodes.Status404NotFound);
        var header = request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            var given = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
            var client = ClientContext.From(request, network.Value).Ip;
            if (await attempts.WaitAsync(client, cancellationToken) is { } wait)
                return Problems.TooMany(Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)), "Too many wrong keys: wait before trying again.");
            if (sessions.IsKey(given))
                return null;
            await attempts.FailedAsync(client, cancellationToken);
            request.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return Problems.Field("authorization", "Send Authorization: Bearer <Admin__ApiKey>.", StatusCodes.Status401Unauthorized);
        }
        var session = await sessions.ReadAsync(request.Cookies[CookieName], cancellationToken);
        if (session is null)
        {
            request.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return Problems.Field("authorization", "Sign in to the console, or send Authorization: Bearer <Admin__ApiKey>.", StatusCodes.Status401Unauthorized);
        }
        // A read from another site's script (a sibling subdomain is "same-site" to a SameSite cookie) is refused too.
        if (request.Headers.Origin.Count > 0 && !IsSameOrigin(request))
            return Problems.Field("origin", "This request comes from another site.", StatusCodes.Status403Forbidden);
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            if (!IsSameOrigin(request))
                return Problems.Field("origin", "This request comes from another site.", StatusCodes.Status403Forbidden);
            if (!sessions.CsrfMatches(session, request.Headers[CsrfHeader]))
                return Problems.Field("X-CSRF-Token", "The anti-forgery token is missing or wrong: reload the console.", StatusCodes.Status403Forbidden);
        }
        request.HttpContext.Items[typeof(OwnerSession)] = session;
        if (sessions.Renewal(session) is { } renewed)
            SetCookie(request, renewed);
        return null;
    }

    public static OwnerSession? SessionOf(HttpRequest request) => request.HttpContext.Items[typeof(OwnerSession)] as OwnerSession;

    /// <summary>A browser's own request: its <c>Origin</c> names this host. Browsers send it with every
    /// POST, PUT, PATCH and DELETE from a page, so a missing one is refused too.</summary>
    public static bool IsSameOrigin(HttpRequest request) =>
        Uri.TryCreate(request.Headers.Origin.ToString(), UriKind.Absolute, out var origin) &&
        string.Equals(origin.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);

    public void SetCookie(HttpRequest request, OwnerSession session) =>
        request.HttpContext.Response.Cookies.Append(CookieName, sessions.CookieValue(session), CookieOptions(request, session.ExpiresAt));

    public static void ClearCookie(HttpRequest request) =>
        request.HttpContext.Response.Cookies.Delete(CookieName, CookieOptions(request, DateTimeOffset.UnixEpoch));

    private static CookieOptions CookieOptions(HttpRequest request, DateTimeOffset expires) => new()
    {
        HttpOnly = true,
        // Secure everywhere but plain HTTP on loopback (./run.sh), where a browser would drop it.
        Secure = request.IsHttps || !IsLoopback(request.Host.Host),
        SameSite = SameSiteMode.Strict,
        Path = "/" + Routes.Prefix,
        Expires = expires,
    };

    private static bool IsLoopback(string host) =>
        host == "localhost" || IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
}
