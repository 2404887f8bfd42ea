using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using ServerlessComments.Adapters.Mail;
using ServerlessComments.Comments;
using ServerlessComments.Notifications;
using ServerlessComments.Testing;

namespace ServerlessComments.Tests.Integration;

/// <summary>
/// The SMTP adapter (MailKit) against a real SMTP server over loopback TCP (nodemailer's
/// smtp-server, started per test): what arrives, and which failures are worth a retry.
/// </summary>
public sealed class SmtpSenderTests
{
    private const string User = "blog-mailer";
    private const string Password = "correct horse battery staple";

    private static readonly NotificationOptions Notifications = new()
    {
        OwnerEmail = "owner@blog.example.com", FromEmail = "comments@blog.example.com", FromName = "Le blog", SiteName = "Le blog",
        PublicBaseUrl = "https://comments.example.com", LinkSecret = new string('s', 40), Lang = "fr", BlogUrl = "https://blog.example.com/",
    };

    private static SmtpEmailSender Sender(SmtpTestServer server, string security, string? password = Password, bool pin = true, int timeoutSeconds = 10) =>
        new(Options.Create(new SmtpOptions
        {
            Host = "127.0.0.1", Port = server.Port, Security = security, TimeoutSeconds = timeoutSeconds,
            Username = password is null ? "" : User, Password = password ?? "",
            CertificateSha256 = pin ? server.CertificateSha256 : "",
        }), Options.Create(Notifications));

    /// <summary>A reply notification: the email with List-Unsubscribe, a reader's text and a key.</summary>
    private static Email ReplyEmail()
    {
        var composer = new EmailComposer(Options.Create(Notifications), new LinkSigner(Options.Create(Notifications), NullLogger<LinkSigner>.Instance),
            new FakeTimeProvider(DateTimeOffset.UtcNow));
        StoredComment Comment(string author, string email, string? parentId) => StoredComment.From(new CommentSubmission
        {
            Id = CommentId.New(DateTimeOffset.UtcNow), Thread = "/2024/03/legitimite/", ParentId = parentId,
            PageUrl = "https://blog.example.com/2024/03/legitimite/", PageTitle = "Légitimité et réseaux sociaux",
            Author = author, Email = email, Body = "Bravo pour ton témoignage, « merci » ! 😉", CreatedAt = DateTimeOffset.UtcNow,
            Lang = "fr", NotifyOnReply = true,
        }, CommentStatus.Published, []);
        var parent = Comment("Sandrine", "sandrine@example.com", null);
        return composer.ReplyNotification(Comment("Manon", "manon@example.com", parent.Id), parent) with { Key = "c1/reply/sandrine@example.com" };
    }

    [Theory]
    [InlineData(SmtpTestServer.Tls.StartTls, "StartTls")]
    [InlineData(SmtpTestServer.Tls.Implicit, "SslOnConnect")]
    [InlineData(SmtpTestServer.Tls.StartTls, "Auto")]
    [InlineData(SmtpTestServer.Tls.None, "None")]
    public async Task An_email_arrives_whole_with_its_unsubscribe_headers(SmtpTestServer.Tls tls, string security)
    {
        await using var server = await SmtpTestServer.StartAsync(tls, User, Password);
        var email = ReplyEmail();

        var result = await Sender(server, security).SendAsync(email, default);

        Assert.True(result.Sent, result.Detail + "\n" + server.Output);
        var taken = Assert.Single(server.Messages);
        Assert.Equal(tls != SmtpTestServer.Tls.None, taken.Data.GetProperty("secure").GetBoolean());
        Assert.True(Assert.Single(server.Logins).Data.GetProperty("ok").GetBoolean());
        Assert.Equal("sandrine@example.com", Assert.Single(taken.Data.GetProperty("to").EnumerateArray()).GetString());
        Assert.Equal("comments@blog.example.com", taken.Data.GetProperty("from").GetString());

        var message = await MimeMessage.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(SmtpTestServer.Raw(taken))));
        Assert.Equal("\"Le blog\" <comments@blog.example.com>", message.From.ToString());
        Assert.Equal("sandrine@example.com", message.To.Mailboxes.Single().Address);
        Assert.Equal(email.Subject, message.Subject);
        Assert.Equal(email.Headers["List-Unsubscribe"], message.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
        Assert.StartsWith("<https://comments.example.com/api/unsubscribe/", message.Headers["List-Unsubscribe"]);
        Assert.Equal(email.Text.ReplaceLineEndings(), message.TextBody!.ReplaceLineEndings());
        Assert.Equal(email.Html.ReplaceLineEndings(), message.HtmlBody!.ReplaceLineEndings());
        Assert.Contains("« merci » ! 😉", message.TextBody);
        Assert.Equal(SmtpEmailSender.MessageId(email.Key, Notifications.FromEmail), message.MessageId);
        Assert.DoesNotContain("sandrine", message.MessageId);
    }

    [Fact]
    public async Task A_refused_login_is_refused_for_good_and_sends_nothing()
    {
        await using var server = await SmtpTestServer.StartAsync(SmtpTestServer.Tls.StartTls, User, Password);

        var result = await Sender(server, "StartTls", password: "wrong password").SendAsync(ReplyEmail(), default);

        Assert.False(result.Sent);
        Assert.False(result.IsTransient, result.Detail);
        Assert.Contains("login", result.Detail);
        // MailKit tries each mechanism the server offers (PLAIN, LOGIN): each is refused.
        Assert.NotEmpty(server.Logins);
        Assert.All(server.Logins, l => Assert.False(l.Data.GetProperty("ok").GetBoolean()));
        Assert.Empty(server.Attempts);
    }

    [Fact]
    public async Task A_connection_dropped_mid_message_is_worth_a_retry_which_carries_the_same_Message_ID()
    {
        await using var server = await SmtpTestServer.StartAsync(SmtpTestServer.Tls.StartTls, User, Password, "drop");
        var sender = Sender(server, "StartTls");
        var email = ReplyEmail();

        var first = await sender.SendAsync(email, default);
        Assert.True(first.IsTransient, first.Detail);
        Assert.Empty(server.Messages);

        var retry = await sender.SendAsync(email, default);
        Assert.True(retry.Sent, retry.Detail);
        Assert.Equal(["drop", null], server.Attempts.Select(a => a.Step));
        var messageIds = server.Attempts.Select(a => a.MessageId).Distinct().ToList();
        Assert.Equal($"<{SmtpEmailSender.MessageId(email.Key, Notifications.FromEmail)}>", Assert.Single(messageIds));
        Assert.Single(server.Messages);
    }

    [Theory]
    [InlineData("421")]
    [InlineData("451")]
    [InlineData("452")]
    public async Task A_4xx_reply_is_worth_a_retry(string code)
    {
        await using var server = await SmtpTestServer.StartAsync(SmtpTestServer.Tls.None, User, Password, code);
        var sender = Sender(server, "None");

        var first = await sender.SendAsync(ReplyEmail(), default);
        Assert.True(first.IsTransient, first.Detail);
        Assert.Contains(code, first.Detail);
        Assert.True((await sender.SendAsync(ReplyEmail(), default)).Sent);
        Assert.Single(server.Messages);
    }

    [Theory]
    [InlineData("550")]
    [InlineData("552")]
    [InlineData("554")]
    public async Task A_5xx_reply_is_refused_for_good(string code)
    {
        await using var server = await SmtpTestServer.StartAsync(SmtpTestServer.Tls.None, User, Password, code);

        var result = await Sender(server, "None").SendAsync(ReplyEmail(), default);

        Assert.False(result.Sent);
        Assert.False(result.IsTransient, result.Detail);
        Assert.Contains(code, result.Detail);
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_and_is_worth_a_retry()
    {
        await using var server = await SmtpTestServer.StartAsync(SmtpTestServer.Tls.None, User, Password, "stall");

        var result = await Sender(server, "None", timeoutSeconds: 2).SendAsync(ReplyEmail(), default).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.IsTransient, result.Detail);
        Assert.Equal("stall", Assert.Single(server.Attempts).Step);
    }

    [Theory]
    [InlineData(SmtpTestServer.Tls.StartTls, "StartTls")]
    [InlineData(SmtpTestServer.Tls.Implicit, "SslOnConnect")]
    public async Task A_certificate_nobody_vouches_for_is_refused_unless_pinned(SmtpTestServer.Tls tls, string security)
    {
        await using var server = await SmtpTestServer.StartAsync(tls, User, Password);

        var result = await Sender(server, security, pin: false).SendAsync(ReplyEmail(), default);

        Assert.False(result.Sent);
        Assert.False(result.IsTransient, result.Detail);
        Assert.Empty(server.Logins); // the password never left
        Assert.Empty(server.Attempts);
    }

    [Fact]
    public async Task Without_STARTTLS_on_offer_a_server_beyond_loopback_would_get_nothing_in_clear()
    {
        // Auto, for a host that is not loopback, means STARTTLS or TLS on connect: never clear text.
        Assert.Equal(MailKit.Security.SecureSocketOptions.StartTls, new SmtpOptions { Host = "smtp.example.com", Security = "Auto" }.EffectiveSecurity);
        Assert.Equal(MailKit.Security.SecureSocketOptions.SslOnConnect, new SmtpOptions { Host = "smtp.example.com", Port = 465, Security = "Auto" }.EffectiveSecurity);
        // Asked for STARTTLS, a server that does not offer it gets neither the password nor the email.
        await using var server = await SmtpTestServer.StartAsync(SmtpTestServer.Tls.None, User, Password);
        var result = await Sender(server, "StartTls").SendAsync(ReplyEmail(), default);
        Assert.False(result.Sent);
        Assert.False(result.IsTransient, result.Detail);
        Assert.Empty(server.Logins);
        Assert.Empty(server.Attempts);
    }
}
