using System.Net;
using System.Text;
using ServerlessComments.Adapters.Mail;
using ServerlessComments.Notifications;

namespace ServerlessComments.SelfHost;

/// <summary>
/// <c>/dev/outbox</c>: the emails written to the local outbox (no SendGrid key), newest first,
/// each viewable with its links clickable. Mapped only when the outbox was asked for
/// (<c>Notifications__Outbox=true</c>, for local development), and never with CORS headers: its
/// emails hold commenters' addresses and working moderation links, which no other origin may read.
/// The Function App has no such page.
/// </summary>
public static class DevOutbox
{
    public static IEndpointRouteBuilder MapDevOutbox(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetRequiredService<IEmailSender>() is not OutboxEmailSender outbox)
            return app;
        app.MapGet("/dev/outbox", () => Index(outbox)).WithMetadata(new Microsoft.AspNetCore.Cors.DisableCorsAttribute());
        app.MapGet("/dev/outbox/{name}", (string name) =>
        {
            if (name.Contains('/') || name.Contains('\\') || !name.EndsWith(".html", StringComparison.Ordinal))
                return Results.NotFound();
            var path = Path.Combine(outbox.Folder, name);
            return File.Exists(path) ? Results.Content(File.ReadAllText(path), "text/html; charset=utf-8") : Results.NotFound();
        }).WithMetadata(new Microsoft.AspNetCore.Cors.DisableCorsAttribute());
        return app;
    }

    private static IResult Index(OutboxEmailSender outbox)
    {
        var html = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Outbox</title></head><body style=\"font-family:sans-serif\"><h1>Outbox</h1>");
        html.Append("<p>Emails are written here because no SendGrid__ApiKey is set (").Append(WebUtility.HtmlEncode(outbox.Folder)).Append(").</p><ul>");
        var files = Directory.Exists(outbox.Folder) ? Directory.GetFiles(outbox.Folder, "*.json").OrderDescending().ToList() : [];
        foreach (var file in files)
        {
            var email = System.Text.Json.JsonSerializer.Deserialize<Email>(File.ReadAllText(file), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
            var page = Path.ChangeExtension(Path.GetFileName(file), ".html");
            html.Append($"<li><a href=\"/dev/outbox/{WebUtility.HtmlEncode(page)}\">{WebUtility.HtmlEncode(email?.Subject ?? page)}</a> → {WebUtility.HtmlEncode(email?.To ?? "")}</li>");
        }
        if (files.Count == 0)
            html.Append("<li>No email yet.</li>");
        html.Append("</ul></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }
}
