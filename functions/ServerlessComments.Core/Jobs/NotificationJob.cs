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
}
