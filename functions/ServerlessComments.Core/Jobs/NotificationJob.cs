namespace ServerlessComments.Jobs;

/// <summary>One email to send, as a job on the notification queue: storing a comment and
/// emailing about it are separate steps, so a mail failure retries the email alone. It carries
/// the W3C trace context of the step that queued it (optional), so the email joins the comment's trace.</summary>
public sealed record NotificationJob(string Kind, string CommentId, int Attempt = 0, string? TraceParent = null, string? TraceState = null)
{
    /// <summary>To the owner: a comment was published or is held.</summary>
    public const string Owner = "owner";
    /// <summary>To the parent's author: someone replied.</summary>
    public const string Reply = "reply";
    /// <summary>To a comment's author who asked for reply emails from an address not yet
    /// confirmed: one email with a link to confirm it (double opt-in), and nothing else until then.</summary>
    public const string Confirm = "confirm";
    /// <summary>To the owner: a one-time link that signs them in to the console; <see cref="CommentId"/> holds the link's token.</summary>
    public const string SignIn = "signin";
    /// <summary>To the owner: the held comments of one period in one email; <see cref="CommentId"/> holds the period's number.</summary>
    public const string Digest = "digest";
}
