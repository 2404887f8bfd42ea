using System.Text;
using System.Text.Encodings.Web;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;
using ServerlessComments.Storage;

namespace ServerlessComments.Notifications;

/// <summary>Every string of the emails, per language: adding a language is adding one of these.</summary>
public sealed record EmailText(
    Func<string, string, string, string> NewComment,   // site, author, title → subject
    Func<string, string, string, string> HeldComment,
    Func<string, string, string> Wrote,              // author, title → "X wrote on "T":"
    Func<string, string, string> RepliedSubject,     // author, title
    Func<string, string> Hello,                      // name
    Func<string, string, string> Replied,            // author, title
    string Name, string EmailLabel, string Website, string Link, string Checks,
    string Approve, string MarkSpam, string Delete, string ReadIt, string Unsubscribe, string LinksExpire)
{
    public static readonly EmailText English = new(
        (site, author, title) => $"[{site}] New comment by {author} on \"{title}\"",
        (site, author, title) => $"[{site}] Awaiting moderation: {author} on \"{title}\"",
        (author, title) => $"{author} wrote on \"{title}\":",
        (author, title) => $"{author} replied to your comment on \"{title}\"",
        name => $"Hello {name},",
        (author, title) => $"{author} replied to your comment on \"{title}\":",
        "Name", "Email", "Website", "Link", "Checks",
        "Approve", "Mark as spam", "Delete", "Read it", "Stop emails about replies to this comment",
        "These links work for 7 days and ask you to confirm.");

    public static readonly EmailText French = new(
        (site, author, title) => $"[{site}] Nouveau commentaire de {author} sur « {title} »",
        (site, author, title) => $"[{site}] En attente de modération : {author} sur « {title} »",
        (author, title) => $"{author} a écrit sur « {title} » :",
        (author, title) => $"{author} a répondu à votre commentaire sur « {title} »",
        name => $"Bonjour {name},",
        (author, title) => $"{author} a répondu à votre commentaire sur « {title} » :",
        "Nom", "E-mail", "Site web", "Lien", "Vérifications",
        "Approuver", "Marquer comme indésirable", "Supprimer", "Lire la réponse", "Ne plus recevoir les réponses à ce commentaire",
        "Ces liens fonctionnent 7 jours et demandent confirmation.");

    public static EmailText For(string? lang) => PageLanguage.IsFrench(lang) ? French : English;
}

/// <summary>Builds the emails. Every user-supplied string is HTML-encoded in the HTML part.</summary>
public sealed class EmailComposer(IOptions<NotificationOptions> options, LinkSigner signer, TimeProvider clock)
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;
    // The comment's own line breaks kept, as on the page.
    private const string QuoteStart = "<blockquote style=\"white-space:pre-wrap;border-left:3px solid #ccc;margin:0;padding-left:1em\">";
    private NotificationOptions Options => options.Value;

    public Email OwnerAlert(CommentEntity comment)
    {
        var t = EmailText.For(Options.Lang);
        var title = Title(comment);
        var held = comment.Status == CommentStatus.Pending;
        var subject = held ? t.HeldComment(Options.SiteName, comment.Author, title) : t.NewComment(Options.SiteName, comment.Author, title);

        var facts = new List<(string Label, string Value, string? Href)>
        {
            (t.Name, comment.Author, null),
            (t.EmailLabel, comment.Email, "mailto:" + comment.Email),
        };
        if (comment.Website is not null)
            facts.Add((t.Website, comment.Website, comment.Website));
        var link = CommentLink(comment);
        if (link is not null)
            facts.Add((t.Link, link, link));
        facts.Add((t.Checks, (comment.Reasons ?? "").Replace('\n', ';'), null));

        var actions = new List<(string Label, string Url)>();
        if (held)
        {
            var expires = clock.GetUtcNow() + LinkSigner.ModerationLifetime;
            foreach (var (action, label) in new[] { ("approve", t.Approve), ("spam", t.MarkSpam), ("delete", t.Delete) })
                actions.Add((label, $"{Base}/api/moderate/{comment.RowKey}/{action}?{signer.Query(action, comment.RowKey, expires)}"));
        }

        var text = new StringBuilder();
        text.AppendLine(t.Wrote(comment.Author, title)).AppendLine().AppendLine(comment.Body).AppendLine();
        foreach (var (label, value, _) in facts)
            text.AppendLine($"{label}: {value}");
        if (actions.Count > 0)
        {
            text.AppendLine();
            foreach (var (label, url) in actions)
                text.AppendLine($"{label}: {url}");
            text.AppendLine(t.LinksExpire);
        }

        var html = new StringBuilder("<!doctype html><html><body style=\"font-family:sans-serif\">");
        html.Append("<p>").Append(Html.Encode(t.Wrote(comment.Author, title))).Append("</p>");
        html.Append(QuoteStart).Append(Html.Encode(comment.Body)).Append("</blockquote><ul>");
        foreach (var (label, value, href) in facts)
        {
            html.Append("<li>").Append(Html.Encode(label)).Append(": ");
            html.Append(href is null ? Html.Encode(value) : $"<a href=\"{Html.Encode(href)}\">{Html.Encode(value)}</a>");
            html.Append("</li>");
        }
        html.Append("</ul>");
        if (actions.Count > 0)
        {
            html.Append("<p>");
            foreach (var (label, url) in actions)
                html.Append($"<a href=\"{Html.Encode(url)}\">{Html.Encode(label)}</a> &nbsp; ");
            html.Append("</p><p><small>").Append(Html.Encode(t.LinksExpire)).Append("</small></p>");
        }
        html.Append("</body></html>");
        return new Email(Options.OwnerEmail, subject, text.ToString(), html.ToString(), new Dictionary<string, string>(), held ? "owner-held" : "owner-new");
    }

    public Email ReplyNotification(CommentEntity reply, CommentEntity parent)
    {
        var t = EmailText.For(parent.Lang ?? reply.Lang ?? Options.Lang);
        var title = Title(reply);
        var unsubscribe = UnsubscribeLink(parent);
        var link = CommentLink(reply);

        var text = new StringBuilder();
        text.AppendLine(t.Hello(parent.Author)).AppendLine().AppendLine(t.Replied(reply.Author, title)).AppendLine()
            .AppendLine(reply.Body).AppendLine();
        if (link is not null)
            text.AppendLine($"{t.ReadIt}: {link}");
        text.AppendLine().AppendLine($"{t.Unsubscribe}: {unsubscribe}");

        var html = new StringBuilder("<!doctype html><html><body style=\"font-family:sans-serif\">");
        html.Append("<p>").Append(Html.Encode(t.Hello(parent.Author))).Append("</p>");
        html.Append("<p>").Append(Html.Encode(t.Replied(reply.Author, title))).Append("</p>");
        html.Append(QuoteStart).Append(Html.Encode(reply.Body)).Append("</blockquote>");
        if (link is not null)
            html.Append($"<p><a href=\"{Html.Encode(link)}\">{Html.Encode(t.ReadIt)}</a></p>");
        html.Append($"<p><small><a href=\"{Html.Encode(unsubscribe)}\">{Html.Encode(t.Unsubscribe)}</a></small></p></body></html>");

        // RFC 8058: mail clients show their own unsubscribe button, which POSTs to this URL.
        var headers = new Dictionary<string, string>
        {
            ["List-Unsubscribe"] = $"<{unsubscribe}>",
            ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
        };
        return new Email(parent.Email, t.RepliedSubject(reply.Author, title), text.ToString(), html.ToString(), headers, "reply");
    }

    public string UnsubscribeLink(CommentEntity parent) =>
        $"{Base}/api/unsubscribe/{parent.RowKey}?{signer.Query("unsubscribe", parent.RowKey, clock.GetUtcNow() + LinkSigner.UnsubscribeLifetime)}";

    private string Base => Options.PublicBaseUrl.TrimEnd('/');

    private static string Title(CommentEntity comment) => comment.PageTitle ?? comment.Thread;

    private static string? CommentLink(CommentEntity comment) =>
        comment.PageUrl is null ? null : $"{comment.PageUrl.Split('#')[0]}#comment-{comment.RowKey}";
}
