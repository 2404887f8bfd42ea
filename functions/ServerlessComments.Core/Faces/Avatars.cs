using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ServerlessComments.Comments;

namespace ServerlessComments.Faces;

/// <summary>A picture fetched from elsewhere (Gravatar, the owner's), as its server sent it.</summary>
public sealed record Picture(byte[] Bytes, string ContentType);

/// <summary>Fetches a picture by address, server-side: null when there is none (Gravatar's
/// <c>d=404</c>), when it is not an image of an allowed type, too large, or its server fails.</summary>
public interface IPictureFetcher
{
    Task<Picture?> FetchAsync(Uri address, CancellationToken cancellationToken);
}

/// <summary>What Gravatar needs, kept server-side by avatar id: the SHA-256 of the address, which
/// is Gravatar's own identifier (and easy to test a guessed address against, so never public).</summary>
public interface IAvatarDirectory
{
    Task RememberAsync(string avatarId, string gravatarHash, CancellationToken cancellationToken);
    Task<string?> GravatarHashAsync(string avatarId, CancellationToken cancellationToken);
    Task ForgetAsync(string avatarId, CancellationToken cancellationToken);
}

/// <summary>The face behind an avatar id: an identicon (SVG) or a fetched picture.</summary>
public sealed record Face(byte[] Bytes, string ContentType, bool IsIdenticon);

/// <summary>
/// Which face an avatar id shows. The identicon needs nothing but the id. With <c>Avatars__Gravatar</c>
/// the reader's Gravatar is tried first (the directory maps the id to Gravatar's hash); the owner's
/// id shows <c>Avatars__OwnerPicture</c>. Both are fetched here, by the backend, and kept in memory
/// for <see cref="AvatarOptions.PictureCacheSeconds"/>, so readers' browsers never call a third party.
/// The directory is read on every request, so an erased address stops showing its Gravatar at once,
/// on every instance.
/// </summary>
public sealed class Avatars(AvatarIds ids, IOptions<AvatarOptions> options, IAvatarDirectory directory, IPictureFetcher fetcher, TimeProvider clock)
{
    /// <summary>Pictures kept in memory at most; past it the cache starts again (a simple bound).</summary>
    public const int MaxCached = 2000;

    private readonly ConcurrentDictionary<string, (Picture? Picture, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public bool On => options.Value.On;

    public int PictureCacheSeconds => options.Value.PictureCacheSeconds;

    /// <summary>The face for a well-formed id; null when avatars are off or the id is not one.</summary>
    public async Task<Face?> FaceAsync(string id, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.On || !AvatarIds.IsWellFormed(id))
            return null;
        Uri? remote = null;
        if (id == AvatarIds.Owner)
            remote = o.OwnerPicture.Length > 0 ? new Uri(o.OwnerPicture) : null;
        else if (o.Gravatar && await directory.GravatarHashAsync(id, cancellationToken) is { } hash)
            remote = new Uri(o.GravatarBaseUrl.TrimEnd('/') + "/" + hash + "?s=96&d=404");
        if (remote is not null && await CachedAsync(remote, cancellationToken) is { } picture)
            return new Face(picture.Bytes, picture.ContentType, IsIdenticon: false);
        return new Face(Encoding.UTF8.GetBytes(Identicon.Svg(id)), "image/svg+xml", IsIdenticon: true);
    }

    /// <summary>Keeps what Gravatar needs for a stored comment's author (only with Gravatar on,
    /// and not for the owner, whose picture is configured).</summary>
    public Task RememberAsync(StoredComment comment, CancellationToken cancellationToken) =>
        options.Value is { On: true, Gravatar: true } && !comment.ByOwner && !string.IsNullOrWhiteSpace(comment.Email)
            ? directory.RememberAsync(ids.ForAddress(comment.Email), GravatarHash(comment.Email), cancellationToken)
            : Task.CompletedTask;

    /// <summary>An erasure: the address's Gravatar is never served again, here or (once their memory expires) elsewhere.</summary>
    public async Task ForgetAsync(string email, CancellationToken cancellationToken)
    {
        await directory.ForgetAsync(ids.ForAddress(email), cancellationToken);
        foreach (var key in _cache.Keys.Where(k => k.Contains(GravatarHash(email), StringComparison.Ordinal)))
            _cache.TryRemove(key, out _);
    }

    /// <summary>Gravatar's identifier of an address: SHA-256 of it trimmed and in lower case (its published contract).</summary>
    public static string GravatarHash(string email) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())));

    private async Task<Picture?> CachedAsync(Uri address, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var key = address.AbsoluteUri;
        if (_cache.TryGetValue(key, out var hit) && hit.Until > now)
            return hit.Picture;
        // "None" is kept too: a reader without a Gravatar costs one call per cache period, not one per view.
        var picture = await fetcher.FetchAsync(address, cancellationToken);
        if (_cache.Count >= MaxCached)
            _cache.Clear();
        _cache[key] = (picture, now.AddSeconds(options.Value.PictureCacheSeconds));
        return picture;
    }
}
