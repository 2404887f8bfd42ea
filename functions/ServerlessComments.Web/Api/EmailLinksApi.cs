using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;
using ServerlessComments.Notifications;
using ServerlessComments.Owner;
using ServerlessComments.Texts;

namespace ServerlessComments.Web.Api;

/// <summary>
/// The signed links in emails. A GET only shows a page whose button POSTs the action: mail
/// scanners open links by themselves, and a GET must never change anything. An altered link is
/// 403, an expired one 410; both change nothing. Pages speak the site's language.
/// </summary>
public sealed class EmailLinksApi(OwnerDecisions decisions, ICommentStore store, IAuthorRecords authors, LinkSigner signer, TimeProvider clock,
    IOptions<NotificationOptions> options)
{
    private const string UnsubscribeAction = "unsubscribe";
    private const string ConfirmAction = "confirm";
    private static readonly string[] ModerationActions = [.. new[] { OwnerDecisions.Approve, OwnerDecisions.Spam, OwnerDecisions.Delete }.Select(OwnerDecisions.Word)];
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;
    private Strings Say => Strings.For(options.Value.Lang);

    /// <summary><c>GET /api/moderate/{id}/{action}?expires=…&amp;sig=…</c></summary>
    public async Task<IResult> ConfirmModerationAsync(HttpRequest request, string id, string action, CancellationToken cancellationToken)
    {
        if (Refuse(request, action, id, ModerationActions) is { } refused)
            return refused;
        var comment = await store.FindAsync(id, cancellationToken);
        if (comment is null)
            return NoSuchComment();
        var label = Label(action);
        var body = $"<p><b>{Html.Encode(comment.Author)}</b> ({Html.Encode(comment.Email)})</p>" +
                   $"<blockquote class=\"text\">{Html.Encode(comment.Body)}</blockquote>" +
                   $"<form method=\"post\" action=\"{Html.Encode(request.Path + request.QueryString)}\"><button type=\"submit\">{Html.Encode(label)}</button></form>";
        return Page(200, label, body, encoded: true);
    }

    /// <summary><c>POST /api/moderate/{id}/{action}?expires=…&amp;sig=…</c>: the confirmation page's button.</summary>
    public async Task<IResult> ModerateAsync(HttpRequest request, string id, string action, CancellationToken cancellationToken)
    {
        if (Refuse(request, action, id, ModerationActions) is { } refused)
            return refused;
        // Refuse let only the moderation words through, so the word names a decision.
        var comment = await decisions.DecideAsync(id, WordEnumConverter<OwnerDecision>.Parse(action)!.Value, cancellationToken);
        if (comment is null)
            return NoSuchComment();
        return Page(200, Say.Page("done"), Say.Page("doneDetail", ("action", Label(action)), ("author", comment.Author)));
    }

    /// <summary><c>GET /api/unsubscribe/{id}?expires=…&amp;sig=…</c>: a page with the two choices.</summary>
    public IResult ConfirmUnsubscribe(HttpRequest request, string id)
    {
        if (Refuse(request, UnsubscribeAction, id, [UnsubscribeAction]) is { } refused)
            return refused;
        var url = Html.Encode(request.Path + request.QueryString);
        var body = $"<form method=\"post\" action=\"{url}\"><button type=\"submit\">{Html.Encode(Say.Page("unsubscribeOne"))}</button></form>" +
                   $"<form method=\"post\" action=\"{url}\"><input type=\"hidden\" name=\"scope\" value=\"site\"><button type=\"submit\">{Html.Encode(Say.Page("unsubscribeAll"))}</button></form>";
        return Page(200, Say.Page("unsubscribeTitle"), body, encoded: true);
    }

    /// <summary><c>POST /api/unsubscribe/{id}?expires=…&amp;sig=…</c>: from the page, or a mail
    /// client's one-click button (RFC 8058: body <c>List-Unsubscribe=One-Click</c>).</summary>
    public async Task<IResult> UnsubscribeAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (Refuse(request, UnsubscribeAction, id, [UnsubscribeAction]) is { } refused)
            return refused;
        var comment = await store.FindAsync(id, cancellationToken);
        if (comment is null)
            return NoSuchComment();
        var scope = request.HasFormContentType ? (await request.ReadFormAsync(cancellationToken))["scope"].ToString() : "";
        if (scope == "site")
            await authors.OptOutOfRepliesAsync(comment.Email, cancellationToken);
        await store.SetNotifyOnReplyAsync(comment, false, cancellationToken);
        return Page(200, Say.Page("unsubscribedTitle"), Say.Page(scope == "site" ? "unsubscribedAll" : "unsubscribedOne"));
    }

    /// <summary><c>GET /api/confirm/{id}?expires=…&amp;sig=…</c>: the double opt-in link; a page whose button confirms.</summary>
    public async Task<IResult> ConfirmRepliesPageAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (Refuse(request, ConfirmAction, id, [ConfirmAction]) is { } refused)
            return refused;
        var comment = await store.FindAsync(id, cancellationToken);
        if (comment is null)
            return NoSuchComment();
        var say = Strings.For(comment.Lang ?? options.Value.Lang);
        var body = $"<p>{Html.Encode(say.Page("confirmQuestion", ("email", comment.Email)))}</p>" +
                   $"<form method=\"post\" action=\"{Html.Encode(request.Path + request.QueryString)}\"><button type=\"submit\">{Html.Encode(say.Page("confirmYes"))}</button></form>";
        return Page(200, say.Page("confirmTitle"), body, encoded: true, say);
    }

    /// <summary><c>POST /api/confirm/{id}?expires=…&amp;sig=…</c>: the address wants reply emails, from now on.</summary>
    public async Task<IResult> ConfirmRepliesAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (Refuse(request, ConfirmAction, id, [ConfirmAction]) is { } refused)
            return refused;
        var comment = await store.FindAsync(id, cancellationToken);
        if (comment is null)
            return NoSuchComment();
        await authors.ConfirmRepliesAsync(comment.Email, cancellationToken);
        var say = Strings.For(comment.Lang ?? options.Value.Lang);
        return Page(200, say.Page("confirmedTitle"), say.Page("confirmed"), say: say);
    }

    private IResult? Refuse(HttpRequest request, string action, string id, string[] allowed)
    {
        if (!allowed.Contains(action))
            return Page(404, Say.Page("unknownLinkTitle"), Say.Page("unknownLink"));
        return signer.Verify(action, id, request.Query["expires"], request.Query["sig"], clock.GetUtcNow()) switch
        {
            LinkSigner.Check.Tampered => Page(403, Say.Page("invalidLinkTitle"), Say.Page("invalidLink")),
            LinkSigner.Check.Expired => Page(410, Say.Page("expiredLinkTitle"), Say.Page("expiredLink")),
            _ => null,
        };
    }

    private IResult NoSuchComment() => Page(404, Say.Page("noCommentTitle"), Say.Page("noComment"));

    private string Label(string action) => Say.Page(WordEnumConverter<OwnerDecision>.Parse(action) switch
    {
        OwnerDecision.Approve => "approveThis",
        OwnerDecision.Spam => "spamThis",
        _ => "deleteThis",
    });

    private IResult Page(int status, string title, string body, bool encoded = false, Strings? say = null)
    {
        var html = new StringBuilder("<!doctype html><html lang=\"").Append((say ?? Say).Lang)
            .Append("\"><head><meta charset=\"utf-8\"><meta name=\"robots\" content=\"noindex\"><meta name=\"viewport\" content=\"width=device-width\"><title>")
            .Append(Html.Encode(title)).Append("</title><link rel=\"stylesheet\" href=\"/api/console/console.css\"></head><body class=\"page\"><main><h1>")
            .Append(Html.Encode(title)).Append("</h1>").Append(encoded ? body : "<p>" + Html.Encode(body) + "</p>").Append("</main></body></html>");
        // No inline script or style: the console's CSP holds, and the page cannot be framed (clickjacking the buttons).
        return new SecurePage(status, html.ToString());
    }
}
