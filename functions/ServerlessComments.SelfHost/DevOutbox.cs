using System.Net;
using System.Text;
using ServerlessComments.Adapters.Mail;
using ServerlessComments.Notifications;

namespace ServerlessComments.SelfHost;

/// <summary>
/// <c>/dev/outbox</c>: the emails written to the local outbox (no SendGrid key), newest first,
/// each viewable with its links clickable. Only when the outbox is in use.
/// </summary>
public static class DevOutbox
{
    public static IEndpointRouteBuilder MapDevOutbox(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dev/outbox", (IEmailSender sender) => sender is OutboxEmailSender outbox ? Index(outbox) : Results.NotFound());
        app.MapGet("/dev/outbox/{name}", (string name, IEmailSender sender) =>
        {
            if (sender is not OutboxEmailSender outbox || name.Contains('/') || name.Contains('\\') || !name.EndsWith(".html", StringComparison.Ordinal))
                return Results.NotFound();
            var path = Path.Combine(outbox.Folder, name);
            return File.Exists(path) ? Results.Content(File.ReadAllText(path), "text/html; charset=utf-8") : Results.NotFound();
        });
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
