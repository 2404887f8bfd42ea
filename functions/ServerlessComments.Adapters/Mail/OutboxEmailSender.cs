using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessComments.Notifications;

namespace ServerlessComments.Adapters.Mail;

/// <summary>Local development: every email is written to <c>Notifications__OutboxPath</c> as a
/// JSON file (headers, text) beside an HTML file, for the self-host's /dev/outbox page.</summary>
public sealed class OutboxEmailSender(IOptions<NotificationOptions> options, ILogger<OutboxEmailSender> logger) : IEmailSender
{
    public string Kind => "outbox";
    public string Folder => Path.GetFullPath(options.Value.OutboxPath);

    public async Task<SendResult> SendAsync(Email email, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var name = $"{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}-{email.Kind}-{Guid.NewGuid().ToString("N")[..6]}";
        await File.WriteAllTextAsync(Path.Combine(Folder, name + ".json"), JsonSerializer.Serialize(email, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(Folder, name + ".html"), email.Html, cancellationToken);
        // Neither the address nor the subject (which may quote a reader): logs outlive erasures.
        logger.LogInformation("A {Kind} email was written to the outbox as {Name}", email.Kind, name);
        return SendResult.Ok;
    }
}
