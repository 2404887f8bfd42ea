using System.Net;
using Microsoft.AspNetCore.Http;
using ServerlessComments.Accepting;

namespace ServerlessComments.Web.Api;

/// <summary>What the spam check needs to know about the request that brought a comment.</summary>
/// <remarks>Read from the HTTP request here, at the edge; the core gets a plain <see cref="ClientInfo"/>.</remarks>
public static class ClientContext
{
    public const int MaxUserAgentLength = 512;
    public const int MaxReferrerLength = 2000;

    public static ClientInfo From(HttpRequest request, bool trustForwardedHeaders)
    {
        string? ip = null;
        if (trustForwardedHeaders)
            ip = ParseForwardedFor(request.Headers["X-Forwarded-For"].ToString());
        ip ??= request.HttpContext.Connection.RemoteIpAddress is { } remote
            ? (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote).ToString()
            : null;
        return new ClientInfo(ip, Cap(request.Headers.UserAgent.ToString(), MaxUserAgentLength), Cap(request.Headers.Referer.ToString(), MaxReferrerLength));
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
