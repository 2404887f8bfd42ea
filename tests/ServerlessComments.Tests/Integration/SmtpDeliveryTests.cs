using System.Text;
using System.Text.Json;
using MimeKit;
using ServerlessComments.Testing;
using ServerlessComments.Tests.Infrastructure;

namespace ServerlessComments.Tests.Integration;

/// <summary>The self-host with <c>Email__Provider=smtp</c>: comments, both queues, the email ledger
/// and retries, against a real SMTP server on loopback.</summary>
[Collection(StorageCollection.Name)]
public sealed class SmtpDeliveryTests(AzuriteFixture azurite)
{
    private const string Owner = "owner@blog.example.com";
    private const string User = "blog-mailer";
    private const string Password = "correct horse battery staple";

    private static Dictionary<string, string> Smtp(SmtpTestServer server, string security) => new()
    {
        ["Email__Provider"] = "smtp",
        ["Smtp__Host"] = "127.0.0.1",
        ["Smtp__Port"] = server.Port.ToString(),
        ["Smtp__Security"] = security,
        ["Smtp__Username"] = User,
        ["Smtp__Password"] = Password,
        ["Smtp__CertificateSha256"] = server.CertificateSha256,
        ["Notifications__OwnerEmail"] = Owner,
        ["Notifications__FromEmail"] = "comments@blog.example.com",
        ["Notifications__LinkSecret"] = "a-link-secret-of-at-least-32-characters!",
        ["Notifications__RetryDelaySeconds"] = "1",
        ["Moderation__Mode"] = "none",
    };

    private Task<SelfHost> StartAsync(Dictionary<string, string> settings, params (string Key, string Value)[] more)
    {
        foreach (var (key, value) in more)
            settings[key] = value;
        return SelfHost.StartAsync(azurite.ConnectionString, settings);
    }

    private static async Task EmailsSettledAsync(SelfHost host)
    {
        await host.DrainedAsync();
        await Eventually.HoldsAsync(async () => (await host.NotificationQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, "the email queue to drain");
    }

    [Fact]
    public async Task A_comment_reaches_the_owner_through_the_SMTP_server()
    {
        await using var server = await SmtpTestServer.StartAsync(SmtpTestServer.Tls.StartTls, User, Password);
        // The alert goes at once for a published comment; one the spam filter held would wait for the digest.
        await using var host = await StartAsync(Smtp(server, "StartTls"), ("Spam__Filter", "false"));
        var health = JsonDocument.Parse(await host.Http.GetStringAsync("api/health")).RootElement;
        Assert.Equal("smtp", health.GetProperty("email").GetString());

        var id = await host.PostAcceptedAsync(Api.Comment("/smtp/", "Un commentaire « par SMTP »", author: "Léa"));
        await Eventually.HoldsAsync(() => Task.FromResult(server.Messages.Any()), "the owner alert at the SMTP server");

        var taken = Assert.Single(server.Messages);
        Assert.True(taken.Data.GetProperty("secure").GetBoolean());
        Assert.Equal(Owner, Assert.Single(taken.Data.GetProperty("to").EnumerateArray()).GetString());
        var message = await MimeMessage.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(SmtpTestServer.Raw(taken))));
        Assert.Contains(id, message.TextBody);
        Assert.Contains("Un commentaire « par SMTP »", message.TextBody);
        Assert.Equal("comments@blog.example.com", message.From.Mailboxes.Single().Address);
        Assert.False(Directory.Exists(host.OutboxPath), "nothing went to the local outbox");
    }

    [Theory]
    [InlineData("451")]
    [InlineData("drop")]
    public async Task A_4xx_or_a_dropped_connection_is_retried_and_the_email_arrives_once(string failure)
    {
        await using var server = await SmtpTestServer.StartAsync(SmtpTestServer.Tls.None, User, Password, failure);
        await using var host = await StartAsync(Smtp(server, "None"));

        await host.PostAcceptedAsync(Api.Comment("/smtp-retry/", "Deliver me once"));
        await Eventually.HoldsAsync(() => Task.FromResult(server.Messages.Any()), "the retried owner alert", TimeSpan.FromSeconds(60));
        await EmailsSettledAsync(host);

        Assert.Equal([failure, null], server.Attempts.Select(a => a.Step));
        Assert.Single(server.Messages);
        Assert.Single(server.Attempts.Select(a => a.MessageId).Distinct());
        Assert.Contains("will be retried", host.Log);
        Assert.False(await host.NotificationPoisonQueue.ExistsAsync());
    }

    [Fact]
    public async Task A_5xx_is_tried_once_and_its_job_goes_straight_to_the_poison_queue()
    {
        await using var server = await SmtpTestServer.StartAsync(SmtpTestServer.Tls.None, User, Password, "554", "554", "554", "554", "554");
        // The queue's own redeliveries (maxDequeueCount, 5 as installed) must not send it again either.
        await using var host = await StartAsync(Smtp(server, "None"));

        await host.PostAcceptedAsync(Api.Comment("/smtp-refused/", "Refused for good"));
        await Eventually.HoldsAsync(async () => await host.NotificationPoisonQueue.ExistsAsync() &&
                                                (await host.NotificationPoisonQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 1,
            "the refused email's job in the poison queue");
        await EmailsSettledAsync(host);

        Assert.Equal("554", Assert.Single(server.Attempts).Step);
        Assert.Empty(server.Messages);
        Assert.DoesNotContain("will be retried", host.Log);
        Assert.Contains("could not be sent", host.Log);
        await Task.Delay(TimeSpan.FromSeconds(3)); // a redelivery would come within the listener's polling interval
        Assert.Single(server.Attempts);
    }

    [Theory]
    [InlineData("Email__Provider=smtp", "Smtp:Host")]
    [InlineData("Email__Provider=smtp;Smtp__Host=smtp.example.com;Smtp__Security=None", "Smtp:Security=None")]
    [InlineData("Email__Provider=smtp;Smtp__Host=smtp.example.com;Smtp__Security=Tls", "Smtp:Security must be")]
    [InlineData("Email__Provider=smtp;Smtp__Host=smtp.example.com;Smtp__Username=me", "Smtp:Username and Smtp:Password")]
    [InlineData("Email__Provider=smtp;Smtp__Host=smtp.example.com;Smtp__Username=me;Smtp__Password=@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/smtp-password/)", "Smtp:Password is a Key Vault reference")]
    [InlineData("Email__Provider=mailgun", "Email:Provider must be")]
    [InlineData("Email__Provider=sendgrid", "SendGrid:ApiKey is empty")]
    public async Task A_bad_email_setting_stops_start_up_with_a_message_naming_it(string settings, string named)
    {
        var environment = new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString };
        foreach (var pair in settings.Split(';'))
            environment[pair[..pair.IndexOf('=')]] = pair[(pair.IndexOf('=') + 1)..];
        var (exitCode, output) = await SelfHost.RunToExitAsync(environment, "--urls", $"http://127.0.0.1:{FreePort.Next()}");
        Assert.NotEqual(0, exitCode);
        Assert.Contains(named, output);
    }
}
