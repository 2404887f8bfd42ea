using System.Net;
using Microsoft.AspNetCore.Http;

namespace ServerlessComments.Http;

/// <summary><c>Network__TrustForwardedHeaders</c>: true only when the app sits behind a proxy that
/// sets <c>X-Forwarded-For</c> itself (Azure Functions' front end does); otherwise any client could
/// choose the IP that spam checks and flood control see.</summary>
public sealed class NetworkOptions
{
    public const string Section = "Network";
    public bool TrustForwardedHeaders { get; set; }
}

/// <summary>What the spam check needs to know about the request that brought a comment.</summary>
public sealed record ClientContext(string? Ip, string? UserAgent, string? Referrer)
{
    public const int MaxUserAgentLength = 512;
    public const int MaxReferrerLength = 2000;

    public static ClientContext From(HttpRequest request, bool trustForwardedHeaders)
    {
        string? ip = null;
        if (trustForwardedHeaders)
            ip = ParseForwardedFor(request.Headers["X-Forwarded-For"].ToString());
        ip ??= request.HttpContext.Connection.RemoteIpAddress is { } remote
            ? (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote).ToString()
            : null;
        return new ClientContext(ip, Cap(request.Headers.UserAgent.ToString(), MaxUserAgentLength), Cap(request.Headers.Referer.ToString(), MaxReferrerLength));
    }

    /// <summary>The first address of X-Forwarded-For (the client, as the trusted proxy saw it),
    /// with any port removed; null when it is not an IP address.</summary>
    internal static string? ParseForwardedFor(string header)
    {
        var first = header.Split(',')[0].Trim();
        if (first.Length == 0)
            return null;
        if (IPEndPoint.TryParse(first, out var endpoint))
            return endpoint.Address.ToString();
        return IPAddress.TryParse(first.Trim('[', ']'), out var address) ? address.ToString() : null;
    }

    private static string? Cap(string value, int max)
    {
        var clean = new string(value.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return clean.Length == 0 ? null : clean.Length <= max ? clean : clean[..max];
    }
}
