using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using ServerlessComments.Notifications;
using ServerlessComments.Storage;

namespace ServerlessComments.Http;

/// <summary>
/// The signed links in emails. A GET only shows a page whose button POSTs the action: mail
/// scanners open links by themselves, and a GET must never change anything. An altered link is
/// 403, an expired one 410; both change nothing.
/// </summary>
public sealed class EmailLinksApi(AdminApi admin, CommentStore store, LinkSigner signer, TimeProvider clock, IOptions<NotificationOptions> options)
{
    private static readonly string[] ModerationActions = [AdminApi.Approve, AdminApi.Spam, AdminApi.Delete];
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;
    private bool French => EmailText.For(options.Value.Lang) == EmailText.French;

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
                   $"<blockquote style=\"white-space:pre-wrap\">{Html.Encode(comment.Body)}</blockquote>" +
                   $"<form method=\"post\" action=\"{Html.Encode(request.Path + request.QueryString)}\"><button type=\"submit\">{Html.Encode(label)}</button></form>";
        return Page(200, label, body, encoded: true);
    }

    /// <summary><c>POST /api/moderate/{id}/{action}?expires=…&amp;sig=…</c>: the confirmation page's button.</summary>
    public async Task<IResult> ModerateAsync(HttpRequest request, string id, string action, CancellationToken cancellationToken)
    {
        if (Refuse(request, action, id, ModerationActions) is { } refused)
            return refused;
        var comment = await admin.DecideAsync(id, action, cancellationToken);
        if (comment is null)
            return NoSuchComment();
        return Page(200, French ? "C'est fait" : "Done", $"{Label(action)} : {comment.Author}");
    }

    /// <summary><c>GET /api/unsubscribe/{id}?expires=…&amp;sig=…</c>: a page with the two choices.</summary>
    public IResult ConfirmUnsubscribe(HttpRequest request, string id)
    {
        if (Refuse(request, "unsubscribe", id, ["unsubscribe"]) is { } refused)
            return refused;
        var url = Html.Encode(request.Path + request.QueryString);
        var (one, all) = French
            ? ("Ne plus recevoir les réponses à ce commentaire", "Ne plus recevoir aucune réponse de ce site")
            : ("Stop emails about replies to this comment", "Stop all reply emails from this site");
        var body = $"<form method=\"post\" action=\"{url}\"><button type=\"submit\">{Html.Encode(one)}</button></form>" +
                   $"<form method=\"post\" action=\"{url}\"><input type=\"hidden\" name=\"scope\" value=\"site\"><button type=\"submit\">{Html.Encode(all)}</button></form>";
        return Page(200, French ? "Se désabonner" : "Unsubscribe", body, encoded: true);
    }

    /// <summary><c>POST /api/unsubscribe/{id}?expires=…&amp;sig=…</c>: from the page, or a mail
    /// client's one-click button (RFC 8058: body <c>List-Unsubscribe=One-Click</c>).</summary>
    public async Task<IResult> UnsubscribeAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if (Refuse(request, "unsubscribe", id, ["unsubscribe"]) is { } refused)
            return refused;
        var comment = await store.FindAsync(id, cancellationToken);
        if (comment is null)
            return NoSuchComment();
        var scope = request.HasFormContentType ? (await request.ReadFormAsync(cancellationToken))["scope"].ToString() : "";
        if (scope == "site")
            await store.OptOutOfRepliesAsync(comment.Email, cancellationToken);
        await store.UnsubscribeAsync(comment, cancellationToken);
        return Page(200, French ? "Désabonnement confirmé" : "Unsubscribed", scope == "site"
            ? (French ? "Vous ne recevrez plus de réponses de ce site." : "You will get no more reply emails from this site.")
            : (French ? "Vous ne recevrez plus les réponses à ce commentaire." : "You will get no more emails about replies to this comment."));
    }

    private IResult? Refuse(HttpRequest request, string action, string id, string[] allowed)
    {
        if (!allowed.Contains(action))
            return Page(404, French ? "Lien inconnu" : "Unknown link", French ? "Ce lien ne correspond à aucune action." : "This link does not name an action.");
        return signer.Verify(action, id, request.Query["expires"], request.Query["sig"], clock.GetUtcNow()) switch
        {
            LinkSigner.Check.Tampered => Page(403, French ? "Lien non valide" : "Invalid link",
                French ? "Ce lien a été modifié ou est incomplet : rien n'a été changé." : "This link was altered or is incomplete: nothing was changed."),
            LinkSigner.Check.Expired => Page(410, French ? "Lien expiré" : "Link expired",
                French ? "Ce lien a expiré : rien n'a été changé. Utilisez l'API d'administration." : "This link has expired: nothing was changed. Use the admin API instead."),
            _ => null,
        };
    }

    private IResult NoSuchComment() =>
        Page(404, French ? "Commentaire introuvable" : "No such comment", French ? "Ce commentaire n'existe plus." : "This comment no longer exists.");

    private string Label(string action) => (action, French) switch
    {
        (AdminApi.Approve, true) => "Approuver ce commentaire",
        (AdminApi.Spam, true) => "Marquer ce commentaire comme indésirable",
        (AdminApi.Delete, true) => "Supprimer ce commentaire",
        (AdminApi.Approve, false) => "Approve this comment",
        (AdminApi.Spam, false) => "Mark this comment as spam",
        _ => "Delete this comment",
    };

    private IResult Page(int status, string title, string body, bool encoded = false)
    {
        var html = new StringBuilder("<!doctype html><html lang=\"").Append(French ? "fr" : "en")
            .Append("\"><head><meta charset=\"utf-8\"><meta name=\"robots\" content=\"noindex\"><title>")
            .Append(Html.Encode(title)).Append("</title></head><body style=\"font-family:sans-serif;max-width:40em;margin:2em auto\"><h1>")
            .Append(Html.Encode(title)).Append("</h1>").Append(encoded ? body : "<p>" + Html.Encode(body) + "</p>").Append("</body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }
}
