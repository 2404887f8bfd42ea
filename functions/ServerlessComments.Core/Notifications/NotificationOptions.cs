using System.ComponentModel.DataAnnotations;

namespace ServerlessComments.Notifications;

/// <summary><c>Notifications__*</c>: who gets which email, and how links in them are made.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>The blog owner's address for new and held comments; empty: no owner alerts.</summary>
    public string OwnerEmail { get; set; } = "";
    public string FromEmail { get; set; } = "comments@example.com";
    public string FromName { get; set; } = "";
    public string SiteName { get; set; } = "Blog";
    /// <summary>The blog's address (e.g. <c>https://blog.example.com/</c>). Links to comments in
    /// emails point here, to the comment's page when the page the reader was on is on this origin,
    /// else to the blog's home: never to an address a reader typed. Empty: emails carry no such link.</summary>
    public string BlogUrl { get; set; } = "";
    /// <summary>Where the API is reachable from a mail client, for signed links.</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:7071";
    /// <summary>The key that signs links in emails; at least 32 characters. Empty: a random one per process (links then die with it).</summary>
    public string LinkSecret { get; set; } = "";
    /// <summary>The site's language, for the owner's emails and readers whose page sent none (<c>fr</c> or <c>en</c>).</summary>
    public string Lang { get; set; } = "en";
    /// <summary><c>Notifications__Outbox=true</c>: for local development only, emails go to files in
    /// <see cref="OutboxPath"/> (and the self-host's /dev/outbox page) instead of SendGrid. Off by
    /// default: without a SendGrid key and without this, email is off, and health says so.</summary>
    public bool Outbox { get; set; }
    /// <summary>Where the local outbox writes emails.</summary>
    public string OutboxPath { get; set; } = Path.Combine(".data", "outbox");
    /// <summary>How often a failed send is retried through the queue before it is left to the poison queue.</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 6;
    /// <summary>The first wait after a failed send that named no Retry-After; it doubles with each retry.</summary>
    [Range(1, 3600)]
    public int RetryDelaySeconds { get; set; } = 30;
    /// <summary>At most this many reply-confirmation emails leave the site in an hour, whoever asks;
    /// beyond it they wait for the next hour (they are delayed, never dropped).</summary>
    [Range(1, 10_000)]
    public int ConfirmationsPerHour { get; set; } = 30;
    /// <summary>The owner gets at most one email per this many minutes about held comments: a digest
    /// of what arrived, each with its signed links. A fraction is allowed (tests use seconds).</summary>
    [Range(0.05, 1440)]
    public double HeldDigestMinutes { get; set; } = 15;
    /// <summary>True: published comments join the digest too, instead of an email each.</summary>
    public bool DigestPublished { get; set; }
}
