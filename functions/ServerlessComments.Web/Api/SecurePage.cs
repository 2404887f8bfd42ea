using System.Text;
using Microsoft.AspNetCore.Http;
using ServerlessComments.Web.Console;

namespace ServerlessComments.Web.Api;

/// <summary>An HTML page behind a link (email links, sign-in), with the console's security headers:
/// a CSP without inline script or style, no framing anywhere, no referrer (the link's signature
/// stays in this tab), never cached. Its look is the console's style sheet.</summary>
public sealed class SecurePage(int status, string html) : IResult
{
    public Task ExecuteAsync(HttpContext context)
    {
        ConsoleAssets.SecurityHeaders(context.Response.Headers);
        context.Response.Headers.CacheControl = "no-store";
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status).ExecuteAsync(context);
    }
}
