namespace ServerlessComments.Notifications;

/// <summary>The owner's sign-in links: a token that carries its own expiry (<c>{unix}-{32 hex}</c>), signed like every link in an email.</summary>
public static class SignInLinks
{
    public const string Action = "signin";
    public const string Path = "/api/admin/session/signin";

    /// <summary>When a token stops working, or null for a malformed one.</summary>
    public static DateTimeOffset? Expiry(string token) =>
        token.Split('-') is [var unix, { Length: 32 }] && long.TryParse(unix, out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    /// <summary>The signed query string of a sign-in link.</summary>
    public static string Query(LinkSigner signer, string token) =>
        $"token={Uri.EscapeDataString(token)}&{signer.Query(Action, token, Expiry(token) ?? DateTimeOffset.UnixEpoch)}";
}
