namespace ServerlessComments.Web.Api;

/// <summary><c>Network__TrustForwardedHeaders</c>: true only when the app sits behind a proxy that
/// sets <c>X-Forwarded-For</c> itself (Azure Functions' front end does); otherwise any client could
/// choose the IP that spam checks and flood control see.</summary>
public sealed class NetworkOptions
{
    public const string Section = "Network";
    public bool TrustForwardedHeaders { get; set; }
}
