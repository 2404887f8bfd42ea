using System.ComponentModel.DataAnnotations;

namespace ServerlessComments.Adapters.Mail;

/// <summary><c>SendGrid__*</c>. Without an API key, emails go to the local outbox instead.</summary>
public sealed class SendGridOptions
{
    public const string Section = "SendGrid";
    public string ApiKey { get; set; } = "";
    [Url]
    public string Host { get; set; } = "https://api.sendgrid.com";
    public bool IsConfigured => !string.IsNullOrWhiteSpace(ApiKey);
}
