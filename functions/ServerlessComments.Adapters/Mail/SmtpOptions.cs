using System.Net;
using System.Security.Cryptography.X509Certificates;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace ServerlessComments.Adapters.Mail;

/// <summary><c>Smtp__*</c>, read when <c>Email__Provider=smtp</c>: any mail provider's SMTP submission.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string Host { get; set; } = "";
    /// <summary>Unset: 465 with <c>SslOnConnect</c>, 587 otherwise.</summary>
    public int? Port { get; set; }
    /// <summary>Empty: no authentication (a relay that trusts the sender's network).</summary>
    public string Username { get; set; } = "";
    public string Password { get; set; } = "";
    /// <summary>MailKit's words: <c>Auto</c> (TLS on connect on port 465, else STARTTLS, which a server
    /// other than loopback must offer), <c>StartTls</c>, <c>SslOnConnect</c>, or <c>None</c> (loopback only).</summary>
    public string Security { get; set; } = nameof(SecureSocketOptions.Auto);
    /// <summary>How long any one step of the conversation (connect, a command, the message) may take.</summary>
    public int TimeoutSeconds { get; set; } = 30;
    /// <summary>Optional: the SHA-256 fingerprint (hex) of a server certificate to accept although no
    /// trusted authority signed it (a self-signed mail server of one's own). Empty: the system's trust only.</summary>
    public string CertificateSha256 { get; set; } = "";

    private static readonly string[] SecurityWords =
        [nameof(SecureSocketOptions.Auto), nameof(SecureSocketOptions.StartTls), nameof(SecureSocketOptions.SslOnConnect), nameof(SecureSocketOptions.None)];

    /// <summary>The security asked for, or null when the setting is not one of MailKit's four words.</summary>
    public SecureSocketOptions? ParsedSecurity =>
        SecurityWords.FirstOrDefault(w => string.Equals(w, Security.Trim(), StringComparison.OrdinalIgnoreCase)) is { } word
            ? Enum.Parse<SecureSocketOptions>(word)
            : null;

    public int EffectivePort => Port ?? (ParsedSecurity == SecureSocketOptions.SslOnConnect ? 465 : 587);

    /// <summary>What the connection will do. <c>Auto</c> picks TLS as MailKit does by port, but never
    /// clear text to a server beyond this machine: MailKit's own <c>Auto</c> would send the password
    /// in clear to a server (or a man in the middle) that offers no STARTTLS.</summary>
    public SecureSocketOptions EffectiveSecurity => ParsedSecurity switch
    {
        SecureSocketOptions.Auto when IsLoopback(Host) => SecureSocketOptions.Auto,
        SecureSocketOptions.Auto => EffectivePort == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls,
        { } security => security,
        null => throw new InvalidOperationException(SecurityInvalid),
    };

    private const string SecurityInvalid = "Smtp:Security must be Auto, StartTls, SslOnConnect or None (MailKit's words).";

    /// <summary>Every problem with these settings, each naming its setting; none means ready to send.</summary>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Host))
            yield return "Smtp:Host is required when Email:Provider is smtp: the SMTP server's name, e.g. smtp.example.com.";
        if (Port is < 1 or > 65535)
            yield return "Smtp:Port must be between 1 and 65535 (587 for STARTTLS, 465 for TLS on connect).";
        if (ParsedSecurity is not { } security)
            yield return SecurityInvalid;
        else if (security == SecureSocketOptions.None && !string.IsNullOrWhiteSpace(Host) && !IsLoopback(Host))
            yield return $"Smtp:Security=None sends the password and every email in clear: it is allowed only for a server on this machine (loopback), not {Host}. Use StartTls or SslOnConnect.";
        if (string.IsNullOrEmpty(Username) != string.IsNullOrEmpty(Password))
            yield return "Smtp:Username and Smtp:Password go together: set both to authenticate, or neither.";
        if (TimeoutSeconds is < 1 or > 600)
            yield return "Smtp:TimeoutSeconds must be between 1 and 600.";
        if (CertificateSha256.Length > 0 && NormalizedFingerprint(CertificateSha256).Length != 64)
            yield return "Smtp:CertificateSha256 must be a SHA-256 fingerprint: 64 hexadecimal digits (colons allowed).";
    }

    public static bool IsLoopback(string host)
    {
        host = host.Trim().TrimStart('[').TrimEnd(']');
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ||
               IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }

    public static string NormalizedFingerprint(string text) =>
        new string(text.Where(c => c != ':' && !char.IsWhiteSpace(c)).ToArray()).ToUpperInvariant() is var hex && hex.All(Uri.IsHexDigit) ? hex : "";

    /// <summary>True when <paramref name="certificate"/> is the one pinned by <see cref="CertificateSha256"/>.</summary>
    public bool IsPinned(X509Certificate? certificate) =>
        certificate is not null && CertificateSha256.Length > 0 &&
        string.Equals(NormalizedFingerprint(CertificateSha256), Convert.ToHexString(certificate.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256)), StringComparison.Ordinal);
}

/// <summary>Checks <c>Smtp__*</c> at start-up when, and only when, <c>Email__Provider=smtp</c>.
/// The provider is read as it is configured, not through <c>IOptions&lt;EmailOptions&gt;</c>: the
/// SMTP settings stay one section of their own, which the deployment tests rely on.</summary>
public sealed class SmtpSettingsCheck(Func<string?> provider) : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions options)
    {
        if (new EmailOptions { Provider = provider() ?? "" }.ParsedProvider != EmailOptions.Smtp)
            return ValidateOptionsResult.Skip;
        var problems = options.Problems().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
