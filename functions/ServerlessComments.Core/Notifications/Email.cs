namespace ServerlessComments.Notifications;

/// <summary>One email, multipart text and HTML, with any extra headers (List-Unsubscribe).</summary>
public sealed record Email(string To, string Subject, string Text, string Html, IReadOnlyDictionary<string, string> Headers, string Kind)
{
    /// <summary>The same for every try at sending this email (its ledger entry), so a sender can give
    /// the message a stable identity: a retry after a send whose outcome was unknown is recognisable.</summary>
    public string? Key { get; init; }
}

/// <summary>What became of a send: done, worth retrying later, or refused for good.</summary>
public sealed record SendResult(bool Sent, TimeSpan? RetryAfter, string Detail)
{
    public static readonly SendResult Ok = new(true, null, "sent");
    /// <summary>Email is off (no provider configured): nothing was sent, and nothing will be.</summary>
    public static readonly SendResult Off = new(false, null, "email is off");
    public bool IsTransient => !Sent && RetryAfter is not null;
}

/// <summary>Sending an email: SendGrid, an SMTP server, a local outbox, or nowhere when email is off.</summary>
public interface IEmailSender
{
    /// <summary>"sendgrid", "smtp", "outbox" or "off", for health and start-up logs.</summary>
    string Kind { get; }

    Task<SendResult> SendAsync(Email email, CancellationToken cancellationToken);
}

/// <summary>What a claim on sending an email found.</summary>
public enum EmailClaim
{
    /// <summary>Ours to send now: nobody had claimed it, or an earlier claim's lease ran out unsent.</summary>
    Claimed,
    /// <summary>Sent before: a second job about it sends nothing.</summary>
    AlreadySent,
    /// <summary>Another sender holds a live lease on it (it may be sending it right now).</summary>
    InFlight,
}

/// <summary>
/// The email ledger: which emails (comment, kind, recipient) were sent, so that a job delivered
/// twice sends once. A claim is a lease, marked sent only once the email service took the email:
/// a claim whose sender crashed, or whose send failed, runs out, and the email is sent after all.
/// </summary>
public interface IEmailLedger
{
    Task<EmailClaim> TryClaimAsync(string commentId, string kind, string recipient, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>The email service took it: no later job sends it again.</summary>
    Task MarkSentAsync(string commentId, string kind, string recipient, CancellationToken cancellationToken);

    /// <summary>Gives a claim back at once, for an email that was not sent and will be retried.</summary>
    Task ReleaseAsync(string commentId, string kind, string recipient, CancellationToken cancellationToken);

    /// <summary>Forgets every email sent (or being sent) to this address: its owner asked to be erased.</summary>
    /// <returns>How many entries went.</returns>
    Task<int> ForgetRecipientAsync(string recipient, CancellationToken cancellationToken);
}

/// <summary>Email is off: no provider chosen, no SendGrid key, and the local outbox not asked for. Sends nothing, says so.</summary>
public sealed class NoEmailSender : IEmailSender
{
    public string Kind => "off";
    public Task<SendResult> SendAsync(Email email, CancellationToken cancellationToken) => Task.FromResult(SendResult.Off);
}
