using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServerlessComments.Adapters.Mail;
using ServerlessComments.Notifications;
using ServerlessComments.Tests.Core;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Contracts;

/// <summary>The email port: what the core hands a sender arrives whole (recipient, subject, both
/// bodies, the List-Unsubscribe headers). A new mail adapter adds a subclass here.</summary>
public abstract class EmailSenderContract
{
    public sealed record Delivered(string To, string Subject, string Text, string Html, IReadOnlyDictionary<string, string> Headers);

    protected abstract Task<IEmailSender> CreateAsync();

    /// <summary>What reached the far end (the mailbox service, the outbox folder).</summary>
    protected abstract Task<IReadOnlyList<Delivered>> DeliveredAsync();

    private static Email Sample => new("ann@example.com", "Réponse à « Bonjour » 👍", "Texte\nsur deux lignes", "<p>Texte <b>riche</b></p>",
        new Dictionary<string, string> { ["List-Unsubscribe"] = "<https://blog.example/u?t=1>", ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click" }, "reply");

    [Fact]
    public async Task An_email_taken_arrives_whole()
    {
        var sender = await CreateAsync();
        Assert.NotEqual("off", sender.Kind);
        var result = await sender.SendAsync(Sample, default);
        Assert.True(result.Sent, result.Detail);
        var delivered = Assert.Single(await DeliveredAsync());
        Assert.Equal(Sample.To, delivered.To);
        Assert.Equal(Sample.Subject, delivered.Subject);
        Assert.Equal(Sample.Text, delivered.Text.ReplaceLineEndings("\n"));
        Assert.Equal(Sample.Html, delivered.Html);
        foreach (var (name, value) in Sample.Headers)
            Assert.Equal(value, delivered.Headers[name]);
    }
}

public sealed class RecordingEmailSenderContract : EmailSenderContract
{
    private readonly RecordingEmailSender _sender = new();
    protected override Task<IEmailSender> CreateAsync() => Task.FromResult<IEmailSender>(_sender);
    protected override Task<IReadOnlyList<Delivered>> DeliveredAsync() =>
        Task.FromResult<IReadOnlyList<Delivered>>(_sender.Sent.Select(e => new Delivered(e.To, e.Subject, e.Text, e.Html, e.Headers)).ToList());
}

public sealed class OutboxEmailSenderContract : EmailSenderContract, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "outbox-contract-" + Guid.NewGuid().ToString("N")[..8]);

    protected override Task<IEmailSender> CreateAsync() => Task.FromResult<IEmailSender>(
        new OutboxEmailSender(Options.Create(new NotificationOptions { Outbox = true, OutboxPath = _folder }), NullLogger<OutboxEmailSender>.Instance));

    protected override async Task<IReadOnlyList<Delivered>> DeliveredAsync()
    {
        var all = new List<Delivered>();
        foreach (var file in Directory.EnumerateFiles(_folder, "*.json"))
        {
            var email = JsonSerializer.Deserialize<Email>(await File.ReadAllTextAsync(file), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
            all.Add(new Delivered(email.To, email.Subject, email.Text, await File.ReadAllTextAsync(Path.ChangeExtension(file, ".html")), email.Headers));
        }
        return all;
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>SendGrid's adapter against a recording stand-in of its API (a third party: the one place a fake is the far end).</summary>
public sealed class SendGridEmailSenderContract : EmailSenderContract, IAsyncDisposable
{
    private FakeSendGrid? _sendGrid;

    protected override async Task<IEmailSender> CreateAsync()
    {
        _sendGrid = await FakeSendGrid.StartAsync();
        return new SendGridEmailSender(Options.Create(new SendGridOptions { ApiKey = "SG.test-key", Host = _sendGrid.BaseUrl.ToString().TrimEnd('/') }),
            Options.Create(new NotificationOptions()));
    }

    protected override Task<IReadOnlyList<Delivered>> DeliveredAsync() =>
        Task.FromResult<IReadOnlyList<Delivered>>(_sendGrid!.Sent.Select(e => new Delivered(e.To, e.Subject, e.Text, e.Html, e.Headers)).ToList());

    public async ValueTask DisposeAsync()
    {
        if (_sendGrid is not null)
            await _sendGrid.DisposeAsync();
    }
}

/// <summary>The SMTP adapter against a real SMTP server on loopback (nodemailer's smtp-server),
/// read back as the raw message the server took, parsed by MimeKit.</summary>
public sealed class SmtpEmailSenderContract : EmailSenderContract, IAsyncDisposable
{
    private ServerlessComments.Testing.SmtpTestServer? _server;

    protected override async Task<IEmailSender> CreateAsync()
    {
        _server = await ServerlessComments.Testing.SmtpTestServer.StartAsync();
        return new SmtpEmailSender(Options.Create(new SmtpOptions { Host = "127.0.0.1", Port = _server.Port, Security = "None", TimeoutSeconds = 10 }),
            Options.Create(new NotificationOptions { FromEmail = "comments@blog.example.com", FromName = "Le blog" }));
    }

    protected override Task<IReadOnlyList<Delivered>> DeliveredAsync() =>
        Task.FromResult<IReadOnlyList<Delivered>>(_server!.Messages.Select(m =>
        {
            using var raw = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(ServerlessComments.Testing.SmtpTestServer.Raw(m)));
            var message = MimeKit.MimeMessage.Load(raw);
            var headers = message.Headers.GroupBy(h => h.Field, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.OrdinalIgnoreCase);
            return new Delivered(string.Join(",", message.To.Mailboxes.Select(b => b.Address)), message.Subject ?? "", message.TextBody ?? "", message.HtmlBody ?? "", headers);
        }).ToList());

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
