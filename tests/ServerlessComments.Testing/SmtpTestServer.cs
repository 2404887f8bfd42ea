using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace ServerlessComments.Testing;

/// <summary>
/// A real SMTP server on a free loopback port: nodemailer's smtp-server (npm, in .tools), driven
/// by <c>smtp/smtp-test-server.cjs</c>. It records what it takes, refuses a wrong login, and
/// answers each message as <see cref="Plan"/> says (accept, a reply code, drop, stall). With TLS
/// it presents a self-signed certificate made here, whose SHA-256 the client pins. Stopped by its PID.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    public enum Tls { None, StartTls, Implicit }

    public sealed record Event(string Kind, JsonElement Data)
    {
        public string? MessageId => Data.TryGetProperty("messageId", out var id) ? id.GetString() : null;
        public string? Step => Data.TryGetProperty("step", out var s) ? s.GetString() : null;
    }

    private readonly Process _process;
    private readonly string _folder;
    private readonly ConcurrentQueue<string> _errors = new();
    public ConcurrentQueue<Event> Events { get; } = new();
    public int Port { get; }
    /// <summary>The self-signed certificate's SHA-256 (hex), empty without TLS.</summary>
    public string CertificateSha256 { get; }

    /// <summary>The messages taken, as raw files (RFC 5322), in order.</summary>
    public IEnumerable<Event> Messages => Events.Where(e => e.Kind == "message");
    /// <summary>Every message the server saw the DATA of, taken or not.</summary>
    public IEnumerable<Event> Attempts => Events.Where(e => e.Kind is "message" or "data");
    public IEnumerable<Event> Logins => Events.Where(e => e.Kind == "auth");
    public string Output => string.Join('\n', Events.Select(e => e.Data.GetRawText()).Concat(_errors));

    private SmtpTestServer(Process process, string folder, int port, string sha256)
    {
        _process = process;
        _folder = folder;
        Port = port;
        CertificateSha256 = sha256;
    }

    /// <param name="plan">How to answer DATA, one step per message: "accept", "drop", "stall" or a reply code ("451").</param>
    public static async Task<SmtpTestServer> StartAsync(Tls tls = Tls.None, string? user = null, string? password = null, params string[] plan)
    {
        var script = Path.Combine(Repo.Root, "tests", "ServerlessComments.Testing", "smtp", "smtp-test-server.cjs");
        var modules = Path.Combine(Repo.Root, ".tools", "node_modules");
        if (!Directory.Exists(Path.Combine(modules, "smtp-server")))
            throw new InvalidOperationException($"smtp-server is not installed in {modules}: run ./test.sh (it runs 'npm ci' in .tools).");
        var folder = Path.Combine(Path.GetTempPath(), "serverlesscomments-smtp-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var port = FreePort.Next();
        string? key = null, cert = null, sha256 = "";
        if (tls != Tls.None)
            (key, cert, sha256) = SelfSigned(folder);
        var settings = JsonSerializer.Serialize(new
        {
            port, user, password, plan, key, cert, dir = Path.Combine(folder, "mail"),
            tls = tls switch { Tls.StartTls => "starttls", Tls.Implicit => "implicit", _ => "none" },
        });

        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(settings);
        start.Environment["NODE_PATH"] = modules; // the script's require('smtp-server') finds .tools' copy
        var process = Process.Start(start)!;
        var server = new SmtpTestServer(process, folder, port, sha256);
        process.OutputDataReceived += (_, e) =>
        {
            if (string.IsNullOrWhiteSpace(e.Data))
                return;
            var data = JsonDocument.Parse(e.Data).RootElement;
            server.Events.Enqueue(new Event(data.GetProperty("event").GetString()!, data));
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) server._errors.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Eventually.HoldsAsync(() => Task.FromResult(server.Events.Any(e => e.Kind == "listening") || process.HasExited),
                "the SMTP test server to listen", TimeSpan.FromSeconds(30));
            if (process.HasExited)
                throw new InvalidOperationException("The SMTP test server stopped:\n" + server.Output);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>The raw text of a message the server took.</summary>
    public static string Raw(Event message) => File.ReadAllText(message.Data.GetProperty("file").GetString()!);

    /// <summary>A certificate for 127.0.0.1 and localhost that no authority signed, as PEM files.</summary>
    private static (string Key, string Cert, string Sha256) SelfSigned(string folder)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=smtp test server", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        var key = Path.Combine(folder, "key.pem");
        var cert = Path.Combine(folder, "cert.pem");
        File.WriteAllText(key, rsa.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        return (key, cert, Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        _process.Dispose();
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }
}
