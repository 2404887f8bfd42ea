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

    public static ClientInfo From(HttpRequest request, NetworkOptions network)
    {
        string? ip = null;
        if (network.TrustForwardedHeaders)
            ip = ParseForwardedFor(string.Join(",", request.Headers["X-Forwarded-For"].ToArray()), network.TrustedProxyHops);
        ip ??= request.HttpContext.Connection.RemoteIpAddress is { } remote
            ? (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote).ToString()
            : null;
        return new ClientInfo(ip, Cap(request.Headers.UserAgent.ToString(), MaxUserAgentLength), Cap(request.Headers.Referer.ToString(), MaxReferrerLength));
    }

    /// <summary>The client's address in X-Forwarded-For: read from the right, the entry written by
    /// the outermost of <paramref name="hops"/> trusted proxies (a client can put anything to its
    /// left), with any port removed; null when it is not an IP address.</summary>
    internal static string? ParseForwardedFor(string header, int hops)
    {
        var entries = header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (entries.Length == 0)
            return null;
        var entry = entries[Math.Max(0, entries.Length - hops)];
        if (IPEndPoint.TryParse(entry, out var endpoint))
            return endpoint.Address.ToString();
        return IPAddress.TryParse(entry.Trim('[', ']'), out var address) ? address.ToString() : null;
    }

    private static string? Cap(string value, int max)
    {
        var clean = new string(value.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return clean.Length == 0 ? null : clean.Length <= max ? clean : clean[..max];
    }
}
