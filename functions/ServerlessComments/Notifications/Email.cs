using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace ServerlessComments.Notifications;

/// <summary>One email, multipart text and HTML, with any extra headers (List-Unsubscribe).</summary>
public sealed record Email(string To, string Subject, string Text, string Html, IReadOnlyDictionary<string, string> Headers, string Kind);

/// <summary>What became of a send: done, worth retrying later, or refused for good.</summary>
public sealed record SendResult(bool Sent, TimeSpan? RetryAfter, string Detail)
{
    public static readonly SendResult Ok = new(true, null, "sent");
    public bool IsTransient => !Sent && RetryAfter is not null;
}

/// <summary>Where emails go: SendGrid, or a local outbox. Owned by the notification sender.</summary>
public interface IEmailSender
{
    Task<SendResult> SendAsync(Email email, CancellationToken cancellationToken);
}

/// <summary>SendGrid's v3 mail send, through the SendGrid library (its <c>Host</c> option points
/// it at a contract mock in tests). 429 and 5xx are transient, honouring <c>Retry-After</c>.</summary>
public sealed class SendGridEmailSender(IOptions<SendGridOptions> sendGrid, IOptions<NotificationOptions> notifications) : IEmailSender
{
    private readonly SendGridClient _client = new(new SendGridClientOptions { ApiKey = sendGrid.Value.ApiKey, Host = sendGrid.Value.Host });

    public async Task<SendResult> SendAsync(Email email, CancellationToken cancellationToken)
    {
        var from = new EmailAddress(notifications.Value.FromEmail, string.IsNullOrWhiteSpace(notifications.Value.FromName) ? null : notifications.Value.FromName);
        var message = MailHelper.CreateSingleEmail(from, new EmailAddress(email.To), email.Subject, email.Text, email.Html);
        message.Subject = email.Subject; // the contract requires it message-wide too, not only per recipient
        if (email.Headers.Count > 0)
            message.Headers = email.Headers.ToDictionary(); // message-wide, as List-Unsubscribe is
        message.AddCategory(email.Kind);

        Response response;
        try
        {
            response = await _client.SendEmailAsync(message, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            return new SendResult(false, TimeSpan.Zero, "SendGrid unreachable: " + e.Message);
        }
        if (response.IsSuccessStatusCode)
            return SendResult.Ok;
        var body = await response.Body.ReadAsStringAsync(cancellationToken);
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500)
        {
            var retryAfter = response.Headers.RetryAfter?.Delta
                ?? (response.Headers.RetryAfter?.Date is { } date ? (TimeSpan?)(date - DateTimeOffset.UtcNow) : null)
                ?? TimeSpan.Zero; // none given: the sender's own back-off decides
            return new SendResult(false, retryAfter < TimeSpan.Zero ? TimeSpan.Zero : retryAfter, $"SendGrid {status}: {body}");
        }
        // A contract mock (Prism) says what broke the schema in this header; SendGrid itself never sends it.
        var violations = response.Headers.TryGetValues("sl-violations", out var v) ? " " + string.Join(" ", v) : "";
        return new SendResult(false, null, $"SendGrid refused the email ({status}): {body}{violations}");
    }
}

/// <summary>Local development: every email is written to <c>Notifications__OutboxPath</c> as a
/// JSON file (headers, text) beside an HTML file, for the self-host's /dev/outbox page.</summary>
public sealed class OutboxEmailSender(IOptions<NotificationOptions> options, ILogger<OutboxEmailSender> logger) : IEmailSender
{
    public string Folder => Path.GetFullPath(options.Value.OutboxPath);

    public async Task<SendResult> SendAsync(Email email, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var name = $"{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}-{email.Kind}-{Guid.NewGuid().ToString("N")[..6]}";
        await File.WriteAllTextAsync(Path.Combine(Folder, name + ".json"), JsonSerializer.Serialize(email, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(Folder, name + ".html"), email.Html, cancellationToken);
        logger.LogInformation("Email to {To} written to the outbox: {Subject}", email.To, email.Subject);
        return SendResult.Ok;
    }
}
