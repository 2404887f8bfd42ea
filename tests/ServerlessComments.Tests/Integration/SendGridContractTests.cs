using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServerlessComments.Comments;
using ServerlessComments.Moderation;
using ServerlessComments.Notifications;
using ServerlessComments.Adapters.Mail;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

/// <summary>
/// Every kind of email the product sends, through the real SendGrid client, to a Prism mock
/// built from SendGrid's own OpenAPI description of mail send: a request that breaks the schema
/// gets a 4xx instead of 202, so it fails here.
/// </summary>
public sealed class SendGridContractTests : IAsyncLifetime
{
    private Process? _prism;
    private int _port;

    public async ValueTask InitializeAsync()
    {
        var contract = SharedFiles.Path("contracts/sendgrid-mail-send.openapi.json");
        var prism = ChildProcess.NpmTool("prism");
        _port = FreePort.Next();
        var start = new ProcessStartInfo(prism) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "mock", "-h", "127.0.0.1", "-p", _port.ToString(), contract })
            start.ArgumentList.Add(arg);
        _prism = ChildProcess.Start(start);
        await FreePort.WaitForListenerAsync(_port, TimeSpan.FromSeconds(60));
    }

    public ValueTask DisposeAsync()
    {
        if (_prism is { HasExited: false })
        {
            _prism.Kill(entireProcessTree: true);
            _prism.WaitForExit(5000);
        }
        _prism?.Dispose();
        return ValueTask.CompletedTask;
    }

    private (EmailComposer Composer, SendGridEmailSender Sender) Make(string lang)
    {
        var notifications = Options.Create(new NotificationOptions
        {
            OwnerEmail = "owner@blog.example.com", FromEmail = "comments@blog.example.com", FromName = "Le blog", SiteName = "Le blog",
            PublicBaseUrl = "https://comments.example.com", LinkSecret = new string('s', 40), Lang = lang,
        });
        var signer = new LinkSigner(notifications, NullLogger<LinkSigner>.Instance);
        var composer = new EmailComposer(notifications, signer, new FakeTimeProvider(DateTimeOffset.UtcNow));
        var sender = new SendGridEmailSender(Options.Create(new SendGridOptions { ApiKey = "SG.contract-test", Host = $"http://127.0.0.1:{_port}" }), notifications);
        return (composer, sender);
    }

    private static StoredComment Comment(CommentStatus status, string? parentId = null, string author = "Sandrine", string email = "sandrine@example.com")
    {
        var now = DateTimeOffset.UtcNow;
        return StoredComment.From(new CommentSubmission
        {
            Id = CommentId.New(now), Thread = "/2024/03/legitimite-reseaux-sociaux/", ParentId = parentId,
            PageUrl = "https://blog.example.com/2024/03/legitimite-reseaux-sociaux/", PageTitle = "Légitimité et réseaux sociaux",
            Author = author, Email = email, Website = "https://example.org/", Body = "Bravo pour ton témoignage, « merci » ! 😉\nÀ bientôt <3",
            CreatedAt = now, Lang = "fr", NotifyOnReply = true,
        }, status, ["first comment from this email address"]);
    }

    [Theory]
    [InlineData("fr")]
    [InlineData("en")]
    public async Task Every_kind_of_email_is_accepted_by_SendGrids_contract(string lang)
    {
        var (composer, sender) = Make(lang);
        var parent = Comment(CommentStatus.Published);
        var emails = new[]
        {
            composer.OwnerAlert(parent),
            composer.OwnerAlert(Comment(CommentStatus.Pending)),
            composer.ReplyNotification(Comment(CommentStatus.Published, parent.Id, "Manon", "manon@example.com"), parent),
            composer.OwnerDigest([Comment(CommentStatus.Pending), Comment(CommentStatus.Pending, author: "Léa", email: "lea@example.com")]),
            composer.ReplyConfirmation(parent),
        };
        Assert.Equal(["owner-new", "owner-held", "reply", "owner-digest", "confirm"], emails.Select(e => e.Kind));
        foreach (var email in emails)
        {
            var result = await sender.SendAsync(email, default);
            Assert.True(result.Sent, $"{email.Kind}: {result.Detail}");
        }
    }

    [Fact]
    public async Task The_mock_does_refuse_what_breaks_the_contract()
    {
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{_port}/v3/mail/send")
        {
            Content = new StringContent("{\"subject\":\"no personalizations, no from, no content\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", "SG.contract-test");
        var response = await http.SendAsync(request);
        Assert.NotEqual(HttpStatusCode.Accepted, response.StatusCode);
        Assert.InRange((int)response.StatusCode, 400, 499);
    }
}
