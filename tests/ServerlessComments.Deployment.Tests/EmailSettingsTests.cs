using ServerlessComments.Adapters.Mail;
using ServerlessComments.Deployment.Tests.Infrastructure;

namespace ServerlessComments.Deployment.Tests;

/// <summary>The template's email provider and SMTP settings are ones the app takes, and never clear text.</summary>
public sealed class EmailSettingsTests
{
    [Fact]
    public async Task The_operators_SMTP_server_reaches_the_app_as_settings_it_accepts()
    {
        var infra = await Infra.GetAsync();
        var settings = infra.AppSettings;
        Assert.Equal("smtp", (string?)settings["Email__Provider"]);
        Assert.Equal(Infra.Environment["SMTP_HOST"], (string?)settings["Smtp__Host"]);
        Assert.Equal(Infra.Environment["SMTP_PORT"], (string?)settings["Smtp__Port"]);
        Assert.Equal(Infra.Environment["SMTP_USERNAME"], (string?)settings["Smtp__Username"]);
        Assert.Equal(Infra.Environment["SMTP_SECURITY"], (string?)settings["Smtp__Security"]);
        var smtp = new SmtpOptions
        {
            Host = (string)settings["Smtp__Host"]!, Port = int.Parse((string)settings["Smtp__Port"]!), Username = (string)settings["Smtp__Username"]!,
            Password = Infra.SmtpPassword, Security = (string)settings["Smtp__Security"]!,
        };
        Assert.Empty(smtp.Problems());
        Assert.Equal(EmailOptions.Smtp, new EmailOptions { Provider = (string)settings["Email__Provider"]! }.ParsedProvider);
    }

    [Fact]
    public async Task Without_an_email_provider_the_template_keeps_the_rule_from_before_it()
    {
        var parameters = (await Infra.GetAsync()).DefaultParameters["parameters"]!;
        // Not given: main.bicep's defaults, so the app chooses as it always did (SendGrid when its key is set).
        Assert.Equal("", (string?)parameters["emailProvider"]?["value"] ?? "");
        var smtp = parameters["smtp"]!["value"]!;
        Assert.Equal("", (string?)smtp["host"]);
        Assert.Equal(0, (int)smtp["port"]!);
        Assert.Equal("Auto", (string?)smtp["security"]);
        Assert.Equal("", (string?)parameters["smtpPassword"]!["value"]);
    }

    [Fact]
    public async Task Every_provider_and_SMTP_security_the_template_allows_is_one_the_app_knows_and_none_is_clear_text()
    {
        var template = (await Infra.GetAsync()).Template;
        var providers = template["parameters"]!["emailProvider"]!["allowedValues"]!.AsArray().Select(v => (string)v!).ToList();
        Assert.Equal(["", "sendgrid", "smtp"], providers); // the outbox is for local work only
        Assert.All(providers, p => Assert.NotNull(new EmailOptions { Provider = p }.ParsedProvider));

        var security = template["definitions"]!["smtpSettings"]!["properties"]!["security"]!["allowedValues"]!.AsArray().Select(v => (string)v!).ToList();
        Assert.Equal(["Auto", "SslOnConnect", "StartTls"], security.Order());
        // Each is one of MailKit's words the app accepts for a server beyond this machine, and encrypts.
        Assert.All(security, s => Assert.Empty(new SmtpOptions { Host = "smtp.example.com", Security = s }.Problems()));
        Assert.All(security, s => Assert.NotEqual(MailKit.Security.SecureSocketOptions.None, new SmtpOptions { Host = "smtp.example.com", Security = s }.EffectiveSecurity));
    }
}
