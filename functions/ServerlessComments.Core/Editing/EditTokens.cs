using System.Security.Cryptography;
using System.Text;
using ServerlessComments.Notifications;

namespace ServerlessComments.Editing;

/// <summary>
/// A comment's edit token: an HMAC of its id with a key of its own derived from the link secret
/// (<see cref="LinkSigner.KeyFor"/>). Nothing is stored: the same id always gives the same token,
/// so a retried post (same Idempotency-Key, same id) is answered the same token, and a token
/// cannot be made without the secret. It holds no expiry: the window is the comment's age.
/// </summary>
public sealed class EditTokens(LinkSigner signer)
{
    private readonly byte[] _key = signer.KeyFor("reader-edit");

    public string For(string commentId) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("edit\n" + commentId)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>True when <paramref name="token"/> is this comment's, compared in constant time.</summary>
    public bool IsValid(string commentId, string? token) =>
        token is { Length: > 0 and < 100 } &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(For(commentId)), Encoding.ASCII.GetBytes(token));
}
