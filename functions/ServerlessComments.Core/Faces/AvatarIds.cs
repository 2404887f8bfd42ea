using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;
using ServerlessComments.Notifications;

namespace ServerlessComments.Faces;

/// <summary>
/// The opaque id of a comment's avatar: an HMAC of the address (without case or surrounding space)
/// with a key derived from the server's secret, cut to 64 bits. The same address always gets the
/// same face, yet nobody without the secret can test a guessed address against it (a plain hash of
/// an address, as Gravatar's URLs carry, can be). The public view carries only this id.
/// </summary>
public sealed class AvatarIds(IOptions<NotificationOptions> secret, IOptions<AvatarOptions> options)
{
    /// <summary>The id of the owner's configured picture.</summary>
    public const string Owner = "owner";
    public const int Length = 16;

    private readonly byte[] _key = string.IsNullOrEmpty(secret.Value.LinkSecret)
        ? RandomNumberGenerator.GetBytes(32) // without a secret, faces hold for this process only
        : SHA256.HashData(Encoding.UTF8.GetBytes("avatars\n" + secret.Value.LinkSecret));

    public bool On => options.Value.On;

    /// <summary>The avatar id the public view shows for the comment; null when avatars are off or
    /// the comment has no address (an anonymised one).</summary>
    public string? For(StoredComment comment)
    {
        if (!options.Value.On)
            return null;
        if (comment.ByOwner && options.Value.OwnerPicture.Length > 0)
            return Owner;
        return string.IsNullOrWhiteSpace(comment.Email) ? null : ForAddress(comment.Email);
    }

    public string ForAddress(string email) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())))[..Length];

    /// <summary>True for what <see cref="For"/> can give: 16 lowercase hex digits, or <see cref="Owner"/>.</summary>
    public static bool IsWellFormed(string? id) =>
        id == Owner || id is { Length: Length } && id.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
