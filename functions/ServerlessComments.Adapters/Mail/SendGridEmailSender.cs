using System.Net;
using Microsoft.Extensions.Options;
using SendGrid;
using SendGrid.Helpers.Mail;
using ServerlessComments.Notifications;

namespace ServerlessComments.Adapters.Mail;

/// <summary>SendGrid's v3 mail send, through the SendGrid library (its <c>Host</c> option points
/// it at a contract mock in tests). 429 and 5xx are transient, honouring <c>Retry-After</c>.</summary>
public sealed class SendGridEmailSender(IOptions<SendGridOptions> sendGrid, IOptions<NotificationOptions> notifications) : IEmailSender
{
    public string Kind => "sendgrid";

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
