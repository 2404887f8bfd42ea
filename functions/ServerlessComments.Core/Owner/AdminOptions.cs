using System.ComponentModel.DataAnnotations;

namespace ServerlessComments.Owner;

/// <summary><c>Admin__*</c>: the owner's key (a bearer token for scripts, and a way to sign in to
/// the console), how long a console session lasts, and the limits on guessing and on sign-in
/// emails. Without a key the admin API and the console are off.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";
    /// <summary>A shorter key could be guessed: start-up refuses it.</summary>
    public const int MinKeyLength = 32;
    public const string ShortKey = "Admin:ApiKey must be at least 32 characters (e.g. `openssl rand -base64 32`), or empty to turn the admin API and the console off.";

    public string ApiKey { get; set; } = "";
    /// <summary>A console session ends after this many days without use (each use renews it).</summary>
    [Range(1, 90)]
    public int SessionDays { get; set; } = 14;
    /// <summary>A console session ends this many days after signing in, however often it is used.</summary>
    [Range(1, 365)]
    public int SessionMaxDays { get; set; } = 30;
    /// <summary>One sign-in link request per client address per this many seconds.</summary>
    [Range(1, 3600)]
    public int LinkRequestSeconds { get; set; } = 20;
    /// <summary>At most this many sign-in emails an hour, whoever asks (each client gets at most one a minute).</summary>
    [Range(1, 1000)]
    public int SignInEmailsPerHour { get; set; } = 20;
    /// <summary>Wrong keys one client may try in a day before each further attempt waits (1 s, doubling, up to an hour).</summary>
    [Range(1, 100000)]
    public int KeyFailuresPerClient { get; set; } = 10;
    /// <summary>Wrong keys the whole site may see in an hour before each further attempt waits (1 s, doubling, up to 5 minutes).</summary>
    [Range(1, 1000000)]
    public int KeyFailuresSiteWide { get; set; } = 100;
}
