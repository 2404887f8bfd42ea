using System.ComponentModel.DataAnnotations;

namespace ServerlessComments.Adapters.Storage;

/// <summary>
/// Names of the app's queues and tables (<c>Storage__CommentQueue</c>, <c>Storage__CommentTable</c>).
/// The storage account itself is the Functions one: <c>AzureWebJobsStorage</c>.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";
    public const string DefaultCommentQueue = "comments";
    public const string DefaultCommentTable = "comments";
    public const string DefaultNotificationQueue = "notifications";
    public const string DefaultThreadContainer = "threads";

    /// <summary>The queue between the HTTP function and the processor. Queue triggers name it as
    /// <c>%Storage:CommentQueue%</c>; failed messages end in <c>&lt;name&gt;-poison</c>.</summary>
    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,54}[a-z0-9]$",
        ErrorMessage = "Storage:CommentQueue must be a valid queue name of 3 to 56 characters (lowercase letters, digits, single hyphens), leaving room for '-poison'.")]
    public string CommentQueue { get; set; } = DefaultCommentQueue;

    /// <summary>The queue of emails to send (<c>%Storage:NotificationQueue%</c>).</summary>
    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,54}[a-z0-9]$",
        ErrorMessage = "Storage:NotificationQueue must be a valid queue name of 3 to 56 characters (lowercase letters, digits, single hyphens), leaving room for '-poison'.")]
    public string NotificationQueue { get; set; } = DefaultNotificationQueue;

    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$",
        ErrorMessage = "Storage:CommentTable must be a valid table name: 3 to 63 letters and digits, starting with a letter.")]
    public string CommentTable { get; set; } = DefaultCommentTable;

    /// <summary>The blob container of the threads' public views (one folder per thread: its first
    /// pages as ready answers, and the chunks of later pages). Public fields only.</summary>
    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$",
        ErrorMessage = "Storage:ThreadContainer must be a valid blob container name: 3 to 63 lowercase letters, digits and single hyphens.")]
    public string ThreadContainer { get; set; } = DefaultThreadContainer;

    /// <summary>Where the queue trigger moves a message after maxDequeueCount failures.</summary>
    public static string PoisonQueueOf(string queue) => queue + "-poison";
}
