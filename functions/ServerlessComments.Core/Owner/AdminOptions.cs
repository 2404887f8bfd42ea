using System.ComponentModel.DataAnnotations;

namespace ServerlessComments.Owner;

/// <summary><c>Admin__*</c>: the owner's key (a bearer token for scripts, and a way to sign in to
/// the console) and how long a console session lasts. Without a key the admin API and the console are off.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";
    public string ApiKey { get; set; } = "";
    /// <summary>A console session ends after this many days without use (each use renews it).</summary>
    [Range(1, 90)]
    public int SessionDays { get; set; } = 14;
    /// <summary>One sign-in link request per client address per this many seconds.</summary>
    [Range(1, 3600)]
    public int LinkRequestSeconds { get; set; } = 20;
}
