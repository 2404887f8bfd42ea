using Microsoft.Extensions.Options;
using ServerlessComments.Comments;
using ServerlessComments.Notifications;

namespace ServerlessComments.Moderation;

/// <summary>
/// Who the owner is, as readers see it: the name the owner's replies are shown under (the blog's
/// sender name, else its name) and the addresses readers can learn (the owner's, and the From
/// address every email shows). A reader's comment that borrows one of them is not the owner's.
/// </summary>
public sealed class OwnerIdentity(IOptions<NotificationOptions> options)
{
    /// <summary>The name the owner's replies are shown under.</summary>
    public static string NameOf(NotificationOptions o) => string.IsNullOrWhiteSpace(o.FromName) ? o.SiteName : o.FromName;

    public string Name => NameOf(options.Value);

    /// <summary>Why a reader's comment looks like the owner's (the reason the owner reads), or null when it does not.</summary>
    public string? Impersonation(string email, string author)
    {
        var o = options.Value;
        foreach (var (address, what) in new[] { (o.OwnerEmail, "the owner's address"), (o.FromEmail, "the blog's From address") })
        {
            if (!string.IsNullOrWhiteSpace(address) && string.Equals(email.Trim(), address.Trim(), StringComparison.OrdinalIgnoreCase))
                return $"uses {what}";
        }
        var name = AuthorNames.Comparable(Name);
        if (name.Length > 0 && AuthorNames.Comparable(author) == name)
            return "uses the owner's name";
        return null;
    }
}
