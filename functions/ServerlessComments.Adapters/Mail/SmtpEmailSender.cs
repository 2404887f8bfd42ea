using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Utils;
using ServerlessComments.Notifications;

namespace ServerlessComments.Adapters.Mail;

/// <summary>
/// Any mail provider's SMTP submission, through MailKit: STARTTLS or TLS on connect, optional
/// authentication, a timeout on every step. One connection per email (a blog sends few). What a
/// later try may cure is transient (a 4xx reply, a dropped connection, a timeout); what it cannot
/// (a 5xx reply, a refused login, a certificate or TLS the server does not offer) is refused for good.
/// </summary>
public sealed partial class SmtpEmailSender(IOptions<SmtpOptions> smtp, IOptions<NotificationOptions> notifications) : IEmailSender
{
    public string Kind => "smtp";

    public async Task<SendResult> SendAsync(Email email, CancellationToken cancellationToken)
    {
        var o = smtp.Value;
        MimeMessage message;
        try
        {
            message = Compose(email);
        }
        catch (ParseException)
        {
            return new SendResult(false, null, "SMTP: the sender or recipient address is not a valid address");
        }

        using var client = new SmtpClient { Timeout = o.TimeoutSeconds * 1000 };
        if (o.CertificateSha256.Length > 0)
            client.ServerCertificateValidationCallback = (_, certificate, _, errors) => errors == SslPolicyErrors.None || o.IsPinned(certificate);
        try
        {
            await client.ConnectAsync(o.Host, o.EffectivePort, o.EffectiveSecurity, cancellationToken);
            if (o.Username.Length > 0)
                await client.AuthenticateAsync(o.Username, o.Password, cancellationToken);
            await client.SendAsync(message, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // the host is stopping: the queue gives the job back
        }
        catch (SmtpCommandException e) when ((int)e.StatusCode is >= 400 and < 500)
        {
            return Transient($"SMTP {(int)e.StatusCode} ({e.ErrorCode}): {Redact(e.Message)}");
        }
        catch (SmtpCommandException e)
        {
            return new SendResult(false, null, $"SMTP server refused the email ({(int)e.StatusCode}, {e.ErrorCode}): {Redact(e.Message)}");
        }
        catch (AuthenticationException e)
        {
            return new SendResult(false, null, $"SMTP server refused the login of Smtp:Username: {Redact(e.Message)}");
        }
        catch (SslHandshakeException e)
        {
            // A certificate nobody trusts does not become trusted on retry; it is the operator's to fix.
            return new SendResult(false, null, $"SMTP TLS failed with {o.Host}: {Redact(e.Message)}");
        }
        catch (NotSupportedException e)
        {
            // No STARTTLS, or no authentication offered: the settings and the server disagree.
            return new SendResult(false, null, $"SMTP server {o.Host} cannot do what Smtp:* asks: {Redact(e.Message)}");
        }
        catch (Exception e) when (e is SmtpProtocolException or IOException or SocketException or TimeoutException or OperationCanceledException or ServiceNotConnectedException)
        {
            // Dropped, unreachable or silent: it may have taken the message or not; the retry
            // carries the same Message-ID, so a server or reader can tell a duplicate.
            return Transient($"SMTP {o.Host}:{o.EffectivePort} failed: {e.GetType().Name}: {Redact(e.Message)}");
        }
        finally
        {
            if (client.IsConnected)
            {
                try
                {
                    await client.DisconnectAsync(quit: true, CancellationToken.None);
                }
                catch (Exception e) when (e is IOException or SocketException or TimeoutException or SmtpProtocolException or SmtpCommandException or OperationCanceledException)
                {
                    // The email's fate is already known; a failed QUIT changes nothing.
                }
            }
        }
        return SendResult.Ok;
    }

    /// <summary>The back-off of <see cref="NotificationOptions.RetryDelaySeconds"/> decides when.</summary>
    private static SendResult Transient(string detail) => new(false, TimeSpan.Zero, detail);

    private MimeMessage Compose(Email email)
    {
        var n = notifications.Value;
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(n.FromName, n.FromEmail));
        message.To.Add(MailboxAddress.Parse(email.To));
        message.Subject = email.Subject;
        message.MessageId = MessageId(email.Key, n.FromEmail);
        foreach (var (name, value) in email.Headers)
            message.Headers.Add(name, value); // List-Unsubscribe and List-Unsubscribe-Post (RFC 8058)
        message.Body = new BodyBuilder { TextBody = email.Text, HtmlBody = email.Html }.ToMessageBody();
        return message;
    }

    /// <summary>Stable for one email's every try (from its ledger key), random without one. Hashed:
    /// the key holds the recipient's address, which a Message-ID must not show.</summary>
    public static string MessageId(string? key, string fromEmail)
    {
        var at = fromEmail.LastIndexOf('@');
        var domain = at >= 0 && at < fromEmail.Length - 1 ? fromEmail[(at + 1)..] : "serverless-comments.invalid";
        if (key is null)
            return MimeUtils.GenerateMessageId(domain);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
        return $"{hash}@{domain}";
    }

    /// <summary>A server's reply may quote the address it refused: logs outlive erasures.</summary>
    private static string Redact(string text) => Address().Replace(text, "<address>");

    [GeneratedRegex(@"[^\s<>""']+@[^\s<>""']+")]
    private static partial Regex Address();
}
