namespace ServerlessComments.Web.Api;

/// <summary><c>Admin__ApiKey</c>: the owner's bearer token. Without one the admin API is off.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";
    public string ApiKey { get; set; } = "";
}
