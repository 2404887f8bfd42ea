namespace ServerlessComments.Web.Api;

/// <summary><c>Network__TrustForwardedHeaders</c>: true only when the app sits behind a proxy that
/// appends to <c>X-Forwarded-For</c> itself (Azure Functions' front end does); otherwise any client
/// could choose the IP that spam checks and flood control see.</summary>
public sealed class NetworkOptions
{
    public const string Section = "Network";
    public bool TrustForwardedHeaders { get; set; }

    /// <summary><c>Network__TrustedProxyHops</c>: how many proxies in front of the app append to
    /// <c>X-Forwarded-For</c> (Azure's front end: 1). The client is the entry that many places from
    /// the right, as ASP.NET Core's forwarded-headers middleware reads it with <c>ForwardLimit</c>;
    /// what is left of it was written by the client and is never trusted.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10)]
    public int TrustedProxyHops { get; set; } = 1;
}
