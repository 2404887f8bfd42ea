using System.ComponentModel.DataAnnotations;

namespace ServerlessComments.Faces;

/// <summary><c>Avatars__*</c>: the picture beside each comment.</summary>
public sealed class AvatarOptions
{
    public const string Section = "Avatars";

    /// <summary>Show avatars at all. Off: the public view carries no avatar id and the route answers 404.</summary>
    public bool On { get; set; } = true;

    /// <summary>Try the reader's Gravatar first, fetched by the backend (readers' browsers never call Gravatar);
    /// the identicon when they have none. Off by default: it tells Gravatar which addresses comment here.</summary>
    public bool Gravatar { get; set; }

    /// <summary>Where Gravatar's images are (its published contract: <c>{base}{sha256 of the address}?s=…&amp;d=404</c>).</summary>
    public string GravatarBaseUrl { get; set; } = "https://gravatar.com/avatar/";

    /// <summary>The absolute http(s) address of the picture shown beside the owner's comments
    /// (fetched and served by the backend); empty: the owner's identicon.</summary>
    public string OwnerPicture { get; set; } = "";

    /// <summary>How long a fetched picture (Gravatar, the owner's) is kept in memory and in readers' caches.</summary>
    [Range(60, 7 * 24 * 3600)]
    public int PictureCacheSeconds { get; set; } = 24 * 3600;

    public bool IsValid() =>
        Absolute(GravatarBaseUrl) && (OwnerPicture.Length == 0 || Absolute(OwnerPicture));

    public const string Invalid = "Avatars:GravatarBaseUrl and Avatars:OwnerPicture must be absolute http(s) addresses (OwnerPicture may be empty).";

    private static bool Absolute(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
}
