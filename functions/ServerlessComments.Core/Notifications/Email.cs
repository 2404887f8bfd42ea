namespace ServerlessComments.Notifications;

/// <summary>One email, multipart text and HTML, with any extra headers (List-Unsubscribe).</summary>
public sealed record Email(string To, string Subject, string Text, string Html, IReadOnlyDictionary<string, string> Headers, string Kind);

/// <summary>What became of a send: done, worth retrying later, or refused for good.</summary>
public sealed record SendResult(bool Sent, TimeSpan? RetryAfter, string Detail)
{
    public static readonly SendResult Ok = new(true, null, "sent");
    /// <summary>Email is off (no SendGrid key, no local outbox): nothing was sent, and nothing will be.</summary>
    public static readonly SendResult Off = new(false, null, "email is off");
    public bool IsTransient => !Sent && RetryAfter is not null;
}

/// <summary>Sending an email: SendGrid, a local outbox, or nowhere when email is off.</summary>
public interface IEmailSender
{
    /// <summary>"sendgrid", "outbox" or "off", for health and start-up logs.</summary>
    string Kind { get; }

    Task<SendResult> SendAsync(Email email, CancellationToken cancellationToken);
}

/// <summary>The email ledger: which emails (comment, kind, recipient) were sent, so that a job
/// delivered twice sends once.</summary>
public interface IEmailLedger
{
    /// <summary>Claims the one sending of an email; false when it was claimed before.</summary>
    Task<bool> TryClaimAsync(string commentId, string kind, string recipient, CancellationToken cancellationToken);

    /// <summary>Gives a claim back, for an email that was not sent after all and will be retried.</summary>
    Task ReleaseAsync(string commentId, string kind, string recipient, CancellationToken cancellationToken);
}

/// <summary>Email is off: no SendGrid key, and the local outbox not asked for. Sends nothing, says so.</summary>
public sealed class NoEmailSender : IEmailSender
{
    public string Kind => "off";
    public Task<SendResult> SendAsync(Email email, CancellationToken cancellationToken) => Task.FromResult(SendResult.Off);
}
