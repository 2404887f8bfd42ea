using ServerlessComments.Adapters.Mail;

namespace ServerlessComments.Tests.Unit;

/// <summary>The SMTP settings' checks, each problem naming its setting.</summary>
public class SmtpOptionsTests
{
    [Theory]
    [InlineData("smtp.example.com", "StartTls", null)]
    [InlineData("smtp.example.com", "sslonconnect", null)]
    [InlineData("127.0.0.1", "None", null)]
    [InlineData("localhost", "None", null)]
    [InlineData("::1", "None", null)]
    [InlineData("smtp.example.com", "None", "Smtp:Security=None")]
    [InlineData("10.0.0.5", "None", "Smtp:Security=None")]
    [InlineData("smtp.example.com", "Tls", "Smtp:Security must be")]
    [InlineData("smtp.example.com", "StartTlsWhenAvailable", "Smtp:Security must be")]
    [InlineData("", "StartTls", "Smtp:Host")]
    public void Host_and_security_are_checked(string host, string security, string? problem)
    {
        var problems = new SmtpOptions { Host = host, Security = security }.Problems().ToList();
        if (problem is null)
            Assert.Empty(problems);
        else
            Assert.Contains(problems, p => p.Contains(problem));
    }

    [Fact]
    public void Username_and_password_go_together_and_ports_and_fingerprints_are_checked()
    {
        Assert.Contains(new SmtpOptions { Host = "h", Username = "u" }.Problems(), p => p.Contains("Smtp:Password"));
        Assert.Contains(new SmtpOptions { Host = "h", Port = 70000 }.Problems(), p => p.Contains("Smtp:Port"));
        Assert.Contains(new SmtpOptions { Host = "h", CertificateSha256 = "abc" }.Problems(), p => p.Contains("Smtp:CertificateSha256"));
        Assert.Empty(new SmtpOptions { Host = "h", CertificateSha256 = string.Join(':', Enumerable.Repeat("AB", 32)) }.Problems());
        Assert.Equal(587, new SmtpOptions { Host = "h" }.EffectivePort);
        Assert.Equal(465, new SmtpOptions { Host = "h", Security = "SslOnConnect" }.EffectivePort);
    }
}
