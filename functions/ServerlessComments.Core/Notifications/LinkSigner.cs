using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ServerlessComments.Notifications;

/// <summary>
/// Signs the links in emails (approve, spam, delete, unsubscribe): HMAC-SHA256 over the action,
/// the comment id and the expiry, so a link cannot be altered or made to last longer.
/// </summary>
public sealed class LinkSigner
{
    public static readonly TimeSpan ModerationLifetime = TimeSpan.FromDays(7);
    public static readonly TimeSpan UnsubscribeLifetime = TimeSpan.FromDays(365);
    /// <summary>A confirmation link works this long; after it, the next comment that asks gets a new one.</summary>
    public static readonly TimeSpan ConfirmLifetime = TimeSpan.FromDays(30);

    private readonly byte[] _key;

    public LinkSigner(IOptions<NotificationOptions> options, ILogger<LinkSigner> logger)
    {
        var secret = options.Value.LinkSecret;
        if (string.IsNullOrEmpty(secret))
        {
            logger.LogWarning("Notifications__LinkSecret is not set: links in emails are signed with a random key and stop working when this process stops");
            _key = RandomNumberGenerator.GetBytes(32);
        }
        else
            _key = Encoding.UTF8.GetBytes(secret);
    }

    public string Sign(string action, string commentId, long expiresUnix) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{action}\n{commentId}\n{expiresUnix}")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A key of its own for another use of the link secret (sealing a reader's address in a link), so one key never serves two purposes.</summary>
    public byte[] KeyFor(string purpose) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("key\n" + purpose));

    public enum Check { Valid, Tampered, Expired }

    public Check Verify(string action, string commentId, string? expires, string? signature, DateTimeOffset now)
    {
        if (!long.TryParse(expires, out var expiresUnix) || string.IsNullOrEmpty(signature))
            return Check.Tampered;
        var expected = Encoding.ASCII.GetBytes(Sign(action, commentId, expiresUnix));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)))
            return Check.Tampered;
        return now.ToUnixTimeSeconds() > expiresUnix ? Check.Expired : Check.Valid;
    }

    /// <summary>The query string of a signed link for <paramref name="action"/> on a comment.</summary>
    public string Query(string action, string commentId, DateTimeOffset expiresAt)
    {
        var expires = expiresAt.ToUnixTimeSeconds();
        return $"expires={expires}&sig={Sign(action, commentId, expires)}";
    }
}
