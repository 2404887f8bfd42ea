namespace ServerlessComments.Notifications;

/// <summary>The owner's sign-in links: a token that carries its own expiry (<c>{unix}-{32 hex}</c>), signed like every link in an email.</summary>
public static class SignInLinks
{
    public const string Action = "signin";
    public const string Path = "/api/admin/session/signin";

    /// <summary>When a token stops working, or null for a malformed one (a number of seconds no date can hold included: never an exception).</summary>
    public static DateTimeOffset? Expiry(string token) =>
        token.Split('-') is [var unix, { Length: 32 }] && unix.Length is > 0 and <= 12 && unix.All(char.IsAsciiDigit) &&
        long.TryParse(unix, out var seconds) && seconds <= MaxUnix ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    private static readonly long MaxUnix = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>The signed query string of a sign-in link.</summary>
    public static string Query(LinkSigner signer, string token) =>
        $"token={Uri.EscapeDataString(token)}&{signer.Query(Action, token, Expiry(token) ?? DateTimeOffset.UnixEpoch)}";
}
