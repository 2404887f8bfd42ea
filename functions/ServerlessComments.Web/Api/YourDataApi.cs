using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ServerlessComments.Comments;
using ServerlessComments.PersonalData;
using ServerlessComments.Texts;
using Microsoft.Extensions.Options;

namespace ServerlessComments.Web.Api;

/// <summary>
/// A reader's own data, <c>/api/your-data…</c>. The rules are <see cref="YourDataRequests"/>';
/// this only reads the request and writes the answer. The emailed link opens a page (GET changes
/// nothing: mail scanners open links) whose buttons POST to the same link.
/// </summary>
public sealed class YourDataApi(YourDataRequests yourData, IOptions<NetworkOptions> network)
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;
    public const int MaxBodyBytes = 4 * 1024;

    public sealed record LinkRequest(string? Email, string? Lang);

    /// <summary><c>POST /api/your-data/link</c> <c>{"email", "lang"}</c>: 202 and the same body whatever the address.</summary>
    public async Task<IResult> RequestLinkAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (Off() is { } off)
            return off;
        var body = JsonBody.Of<LinkRequest>(request);
        var email = body.Email?.Trim();
        if (email is not { Length: > 2 and <= CommentValidator.MaxEmailLength } || !email.Contains('@') || email.Any(char.IsControl))
            return Problems.Field("email", "Type an email address.");
        var wait = await yourData.RequestLinkAsync(email, body.Lang, ClientContext.From(request, network.Value).Ip, cancellationToken);
        if (wait is { } w)
            return Problems.TooMany(Math.Max(1, (int)Math.Ceiling(w.TotalSeconds)), "Wait a little before asking again.");
        return TypedResults.Accepted((string?)null, new { sent = true });
    }

    /// <summary><c>GET /api/your-data?t=…</c>: the page and its buttons; uses nothing up.</summary>
    public async Task<IResult> ShowAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (Off() is { } off)
            return off;
        var (check, link) = await yourData.CheckAsync(request.Query["t"], cancellationToken);
        if (link is null)
            return Refused(check, null);
        var say = Strings.For(link.Lang);
        var t = Uri.EscapeDataString(request.Query["t"].ToString());
        string Button(string action, string label) =>
            $"<form method=\"post\" action=\"{Html.Encode($"/api/your-data/{action}t={t}")}\"><button type=\"submit\">{Html.Encode(label)}</button></form>";
        var body = $"<p>{Html.Encode(say.Page("yourDataIntro"))}</p>" + Button("download?", say.Page("yourDataDownload")) + Button("stop?", say.Page("yourDataStop")) +
                   Button("erase?mode=delete&", say.Page("yourDataDelete")) + Button("erase?mode=anonymise&", say.Page("yourDataAnonymise"));
        return Page(200, say, say.Page("yourDataTitle"), body);
    }

    /// <summary><c>POST /api/your-data/download?t=…</c>: the owner's find for the address, as a JSON file.</summary>
    public async Task<IResult> DownloadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (Off() is { } off)
            return off;
        var (check, comments) = await yourData.DownloadAsync(request.Query["t"], cancellationToken);
        if (comments is null)
            return Refused(check, null);
        var json = JsonSerializer.SerializeToUtf8Bytes(new { Comments = comments }, CommentJson.Options);
        return Results.File(json, "application/json; charset=utf-8", "my-data.json");
    }

    /// <summary><c>POST /api/your-data/stop?t=…</c>: the site-wide opt-out for the address.</summary>
    public async Task<IResult> StopAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (Off() is { } off)
            return off;
        var (check, link) = await yourData.CheckAsync(request.Query["t"], cancellationToken);
        if (link is null || (check = await yourData.StopEmailsAsync(request.Query["t"], cancellationToken)) != YourDataRequests.LinkCheck.Valid)
            return Refused(check, link);
        var say = Strings.For(link.Lang);
        return Page(200, say, say.Page("yourDataTitle"), $"<p>{Html.Encode(say.Page("yourDataStopped"))}</p>");
    }

    /// <summary><c>POST /api/your-data/erase?mode=delete|anonymise&amp;t=…</c>: the owner's erase; ends the link.</summary>
    public async Task<IResult> EraseAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (Off() is { } off)
            return off;
        // The link first: without a valid one, nothing is said about anything else.
        var (check, link) = await yourData.CheckAsync(request.Query["t"], cancellationToken);
        if (link is null)
            return Refused(check, null);
        var mode = request.Query["mode"].ToString();
        if (!EraseMode.All.Contains(mode))
            return Problems.Field("mode", "mode must be delete or anonymise.");
        var (used, summary) = await yourData.EraseAsync(request.Query["t"], mode, keepText: mode == EraseMode.Anonymise, cancellationToken);
        if (summary is null)
            return Refused(used, link);
        var say = Strings.For(link.Lang);
        return Page(200, say, say.Page("yourDataTitle"),
            $"<p>{Html.Encode(say.Page("yourDataErased", ("count", summary.Deleted + summary.Anonymised)))}</p>");
    }

    private IResult? Off() => yourData.IsOn ? null :
        Problems.Field(Problems.WholeRequest, "Readers' data links are off on this site (YourData__On).", StatusCodes.Status404NotFound);

    private static IResult Refused(YourDataRequests.LinkCheck check, YourDataLink? link)
    {
        var say = Strings.For(link?.Lang);
        return check switch
        {
            YourDataRequests.LinkCheck.Expired => Page(410, say, say.Page("expiredLinkTitle"), $"<p>{Html.Encode(say.Page("yourDataExpired"))}</p>"),
            YourDataRequests.LinkCheck.Used => Page(410, say, say.Page("signInUsedTitle"), $"<p>{Html.Encode(say.Page("yourDataUsed"))}</p>"),
            _ => Page(403, say, say.Page("invalidLinkTitle"), $"<p>{Html.Encode(say.Page("invalidLink"))}</p>"),
        };
    }

    private static IResult Page(int status, Strings say, string title, string body) => new SecurePage(status, new StringBuilder("<!doctype html><html lang=\"").Append(say.Lang)
        .Append("\"><head><meta charset=\"utf-8\"><meta name=\"robots\" content=\"noindex\"><meta name=\"viewport\" content=\"width=device-width\"><meta name=\"referrer\" content=\"no-referrer\"><title>")
        .Append(Html.Encode(title)).Append("</title><link rel=\"stylesheet\" href=\"/api/console/console.css\"></head><body class=\"page\"><main><h1>")
        .Append(Html.Encode(title)).Append("</h1>").Append(body).Append("</main></body></html>").ToString());
}
