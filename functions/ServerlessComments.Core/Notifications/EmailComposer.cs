using System.Text;
using System.Text.Encodings.Web;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;
using ServerlessComments.Texts;

namespace ServerlessComments.Notifications;

/// <summary>Builds the emails. Every user-supplied string is HTML-encoded in the HTML part.</summary>
public sealed class EmailComposer(IOptions<NotificationOptions> options, LinkSigner signer, TimeProvider clock)
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;
    // The comment's own line breaks kept, as on the page.
    private const string QuoteStart = "<blockquote style=\"white-space:pre-wrap;border-left:3px solid #ccc;margin:0;padding-left:1em\">";
    private NotificationOptions Options => options.Value;

    public Email OwnerAlert(StoredComment comment)
    {
        var t = Strings.For(Options.Lang);
        var title = Title(comment);
        var held = comment.Status == CommentStatus.Pending;
        var subject = held ? t.Email("heldComment", ("site", Options.SiteName), ("author", comment.Author), ("title", title)) : t.Email("newComment", ("site", Options.SiteName), ("author", comment.Author), ("title", title));
        var text = new StringBuilder();
        var html = new StringBuilder("<!doctype html><html><body style=\"font-family:sans-serif\">");
        AppendForOwner(text, html, comment, t, null);
        html.Append("</body></html>");
        return new Email(Options.OwnerEmail, subject, text.ToString(), html.ToString(), new Dictionary<string, string>(), held ? "owner-held" : "owner-new");
    }

    /// <summary>How much of each comment's text a digest quotes: enough to judge most, and a
    /// spam run of hundreds stays one readable email (the console shows the rest).</summary>
    public const int DigestExcerpt = 500;

    /// <summary>The owner's digest: the comments of one period (held, and published ones when the
    /// owner asked for them here too), each as its own alert would show it, signed links included.</summary>
    public Email OwnerDigest(IReadOnlyList<StoredComment> comments)
    {
        var t = Strings.For(Options.Lang);
        var held = comments.Count(c => c.Status == CommentStatus.Pending);
        var subject = t.Email("digestSubject", ("site", Options.SiteName), ("count", comments.Count), ("held", held));
        var intro = t.Email("digestIntro", ("count", comments.Count), ("held", held));
        var text = new StringBuilder().AppendLine(intro);
        var html = new StringBuilder("<!doctype html><html><body style=\"font-family:sans-serif\">")
            .Append("<p>").Append(Html.Encode(intro)).Append("</p>");
        foreach (var comment in comments)
        {
            text.AppendLine().AppendLine("----").AppendLine();
            html.Append("<hr>");
            AppendForOwner(text, html, comment, t, DigestExcerpt);
        }
        html.Append("</body></html>");
        return new Email(Options.OwnerEmail, subject, text.ToString(), html.ToString(), new Dictionary<string, string>(), "owner-digest");
    }

    /// <summary>One comment as the owner reads it: who, where, the text (cut to <paramref name="maxBody"/>
    /// characters), the checks' reasons, and the links (signed moderation links while it is held).</summary>
    private void AppendForOwner(StringBuilder text, StringBuilder html, StoredComment comment, Strings t, int? maxBody)
    {
        var title = Title(comment);
        var held = comment.Status == CommentStatus.Pending;
        var body = maxBody is { } max && comment.Body.Length > max ? comment.Body[..max] + "…" : comment.Body;

        var facts = new List<(string Label, string Value, string? Href)>
        {
            (t.Email("name"), comment.Author, null),
            (t.Email("emailLabel"), comment.Email, "mailto:" + comment.Email),
        };
        // The reader typed it: shown, never made a link by us.
        if (comment.Website is not null)
            facts.Add((t.Email("website"), comment.Website, null));
        var link = CommentLink(comment);
        if (link is not null)
            facts.Add((t.Email("link"), link, link));
        facts.Add((t.Email("checks"), string.Join(";", comment.Reasons), null));

        var actions = new List<(string Label, string Url)>();
        if (held)
        {
            var expires = clock.GetUtcNow() + LinkSigner.ModerationLifetime;
            foreach (var (action, label) in new[] { ("approve", t.Email("approve")), ("spam", t.Email("markSpam")), ("delete", t.Email("delete")) })
                actions.Add((label, $"{Base}/api/moderate/{comment.Id}/{action}?{signer.Query(action, comment.Id, expires)}"));
        }
        // The console (after signing in): answer as the author, or see the comment with everything beside it.
        actions.Add((t.Email("reply"), $"{Base}/api/console#reply={comment.Id}"));
        actions.Add((t.Email("openConsole"), $"{Base}/api/console#comment={comment.Id}"));

        text.AppendLine(t.Email("wrote", ("author", comment.Author), ("title", title))).AppendLine().AppendLine(body).AppendLine();
        foreach (var (label, value, _) in facts)
            text.AppendLine($"{label}: {value}");
        text.AppendLine();
        foreach (var (label, url) in actions)
            text.AppendLine($"{label}: {url}");
        if (held)
            text.AppendLine(t.Email("linksExpire"));

        html.Append("<p>").Append(Html.Encode(t.Email("wrote", ("author", comment.Author), ("title", title)))).Append("</p>");
        html.Append(QuoteStart).Append(Html.Encode(body)).Append("</blockquote><ul>");
        foreach (var (label, value, href) in facts)
        {
            html.Append("<li>").Append(Html.Encode(label)).Append(": ");
            html.Append(href is null ? Html.Encode(value) : $"<a href=\"{Html.Encode(href)}\">{Html.Encode(value)}</a>");
            html.Append("</li>");
        }
        html.Append("</ul><p>");
        foreach (var (label, url) in actions)
            html.Append($"<a href=\"{Html.Encode(url)}\">{Html.Encode(label)}</a> &nbsp; ");
        html.Append("</p>");
        if (held)
            html.Append("<p><small>").Append(Html.Encode(t.Email("linksExpire"))).Append("</small></p>");
    }

    public Email ReplyNotification(StoredComment reply, StoredComment parent)
    {
        var t = Strings.For(parent.Lang ?? reply.Lang ?? Options.Lang);
        var title = Title(reply);
        var unsubscribe = UnsubscribeLink(parent);
        var link = CommentLink(reply);

        var text = new StringBuilder();
        text.AppendLine(t.Email("hello", ("name", parent.Author))).AppendLine().AppendLine(t.Email("replied", ("author", reply.Author), ("title", title))).AppendLine()
            .AppendLine(reply.Body).AppendLine();
        if (link is not null)
            text.AppendLine($"{t.Email("readIt")}: {link}");
        text.AppendLine().AppendLine($"{t.Email("unsubscribe")}: {unsubscribe}");

        var html = new StringBuilder("<!doctype html><html><body style=\"font-family:sans-serif\">");
        html.Append("<p>").Append(Html.Encode(t.Email("hello", ("name", parent.Author)))).Append("</p>");
        html.Append("<p>").Append(Html.Encode(t.Email("replied", ("author", reply.Author), ("title", title)))).Append("</p>");
        html.Append(QuoteStart).Append(Html.Encode(reply.Body)).Append("</blockquote>");
        if (link is not null)
            html.Append($"<p><a href=\"{Html.Encode(link)}\">{Html.Encode(t.Email("readIt"))}</a></p>");
        html.Append($"<p><small><a href=\"{Html.Encode(unsubscribe)}\">{Html.Encode(t.Email("unsubscribe"))}</a></small></p></body></html>");

        // RFC 8058: mail clients show their own unsubscribe button, which POSTs to this URL.
        var headers = new Dictionary<string, string>
        {
            ["List-Unsubscribe"] = $"<{unsubscribe}>",
            ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
        };
        return new Email(parent.Email, t.Email("repliedSubject", ("author", reply.Author), ("title", title)), text.ToString(), html.ToString(), headers, "reply");
    }

    /// <summary>Double opt-in: the one email an address gets before it has confirmed that it wants
    /// reply emails. Anyone can type anyone's address, so it quotes nothing a reader typed (not the
    /// name, not the page title a page sent, not the thread): only the blog's own name and address
    /// from its settings, and the link.</summary>
    public Email ReplyConfirmation(StoredComment comment)
    {
        var t = Strings.For(comment.Lang ?? Options.Lang);
        var link = ConfirmLink(comment);
        var hello = t.Email("confirmHello");
        var blog = Uri.TryCreate(Options.BlogUrl, UriKind.Absolute, out var home) ? home.GetLeftPart(UriPartial.Path) : null;
        var asked = t.Email("confirmAsked", ("site", Options.SiteName));
        var text = new StringBuilder().AppendLine(hello).AppendLine().AppendLine(asked);
        if (blog is not null)
            text.AppendLine(blog);
        text.AppendLine().AppendLine($"{t.Email("confirmButton")}: {link}").AppendLine().AppendLine(t.Email("confirmIgnore"));
        var html = new StringBuilder("<!doctype html><html><body style=\"font-family:sans-serif\">")
            .Append("<p>").Append(Html.Encode(hello)).Append("</p><p>").Append(Html.Encode(asked));
        if (blog is not null)
            html.Append($"<br><a href=\"{Html.Encode(blog)}\">{Html.Encode(blog)}</a>");
        html.Append("</p>")
            .Append($"<p><a href=\"{Html.Encode(link)}\">{Html.Encode(t.Email("confirmButton"))}</a></p>")
            .Append("<p><small>").Append(Html.Encode(t.Email("confirmIgnore"))).Append("</small></p></body></html>");
        return new Email(comment.Email, t.Email("confirmSubject", ("site", Options.SiteName)), text.ToString(), html.ToString(),
            new Dictionary<string, string>(), "confirm");
    }

    /// <summary>The owner's one-time sign-in link to the console.</summary>
    public Email SignInLink(string token)
    {
        var t = Strings.For(Options.Lang);
        var link = $"{Base}{SignInLinks.Path}?{SignInLinks.Query(signer, token)}";
        var text = new StringBuilder().AppendLine(t.Email("signInIntro", ("site", Options.SiteName))).AppendLine()
            .AppendLine($"{t.Email("signInButton")}: {link}").AppendLine().AppendLine(t.Email("signInIgnore"));
        var html = new StringBuilder("<!doctype html><html><body style=\"font-family:sans-serif\">")
            .Append("<p>").Append(Html.Encode(t.Email("signInIntro", ("site", Options.SiteName)))).Append("</p>")
            .Append($"<p><a href=\"{Html.Encode(link)}\">{Html.Encode(t.Email("signInButton"))}</a></p>")
            .Append("<p><small>").Append(Html.Encode(t.Email("signInIgnore"))).Append("</small></p></body></html>");
        return new Email(Options.OwnerEmail, t.Email("signInSubject", ("site", Options.SiteName)), text.ToString(), html.ToString(),
            new Dictionary<string, string>(), "signin");
    }

    public string ConfirmLink(StoredComment comment) =>
        $"{Base}/api/confirm/{comment.Id}?{signer.Query("confirm", comment.Id, clock.GetUtcNow() + LinkSigner.ConfirmLifetime)}";

    public string UnsubscribeLink(StoredComment parent) =>
        $"{Base}/api/unsubscribe/{parent.Id}?{signer.Query("unsubscribe", parent.Id, clock.GetUtcNow() + LinkSigner.UnsubscribeLifetime)}";

    private string Base => Options.PublicBaseUrl.TrimEnd('/');

    private static string Title(StoredComment comment) => comment.PageTitle ?? comment.Thread;

    private string? CommentLink(StoredComment comment) => BlogLinks.ToComment(Options.BlogUrl, comment.Thread, comment.PageUrl, comment.Id);
}
